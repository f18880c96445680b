import type { z } from 'zod';

/** Turns a zod failure into one sentence a person can act on, e.g. "Clinic name is required." */
export function describeIssues(error: z.ZodError): string {
  const messages = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `Unexpected field ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
    const message = issue.message;
    if (issue.path.length > 0 && /^Invalid input/.test(message)) return `${issue.path.join('.')}: ${message}`;
    return message;
  });
  return [...new Set(messages)].join(' ');
}
