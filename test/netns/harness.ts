// The harness lives in main/testing so the sync benchmark (plain Node, compiled code) can use it too.
export * from '../../main/testing/netns.js';
