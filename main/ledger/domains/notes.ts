import { insertAddendum, insertNote, noteExists, putEpisode, setCosign } from '../../views/notes.js';
import { openEntryBody } from '../seal.js';
import { patientOfStream } from '../streams.js';
import type { KindRule, PolicyContext } from './types.js';

type NoteKind = 'note.signed' | 'note.addendum' | 'note.cosigned' | 'episode.saved';

const clinicians = (ctx: PolicyContext) =>
  ctx.actorRole === 'therapist' || ctx.actorRole === 'assistant' ? null : 'only a therapist or an assistant can sign clinical notes';

/**
 * Clinical notes (docs/architecture.md#clinical-notes) in `p:<patientId>/clinical`. Who may write is judged on
 * the clear fields (the acting staff member's role); what a note says is sealed, so the checks
 * that need it (the named note exists, is an assistant's, is not co-signed yet) are made by the
 * service before signing, and the reducers keep only what is consistent: an addendum or
 * co-signature of a note this stream does not hold changes nothing. Addenda and co-signatures name
 * a note the author had seen, so the note is in their causal past and replays before them.
 */
export const noteRules: { readonly [K in NoteKind]: KindRule<K> } = {
  'note.signed': {
    stream: 'clinical',
    policy: clinicians,
    reduce(ctx, body, entry, at) {
      const note = openEntryBody(ctx.keystore, 'note.signed', entry, body);
      insertNote(
        ctx.db,
        {
          patientId: patientOfStream(entry.stream),
          authorStaff: entry.by,
          at: entry.at,
          body: note ? JSON.stringify(note) : null,
          appointmentId: note?.appointmentId ?? null,
          // Version-2 notes carry their episode, day of service and billing (docs/architecture.md#episodes-of-care).
          episodeId: note && 'v' in note ? note.episodeId : null,
          day: note && 'v' in note ? note.date : null,
          type: note?.type ?? null,
          billing: note && 'v' in note && note.billing ? JSON.stringify(note.billing) : null,
        },
        at,
      );
    },
  },
  'note.addendum': {
    stream: 'clinical',
    policy: clinicians,
    reduce(ctx, body, entry, at) {
      const addendum = openEntryBody(ctx.keystore, 'note.addendum', entry, body);
      if (!addendum || !noteExists(ctx.db, addendum.note)) return;
      insertAddendum(ctx.db, { noteHash: addendum.note, staffId: entry.by, at: entry.at, text: addendum.text }, at);
    },
  },
  'note.cosigned': {
    stream: 'clinical',
    policy: (ctx) => (ctx.actorRole === 'therapist' ? null : "only a therapist can co-sign an assistant's note"),
    reduce(ctx, body, entry, at) {
      const cosign = openEntryBody(ctx.keystore, 'note.cosigned', entry, body);
      // Two co-signatures made at once on two computers: the first in (height, hash) order counts.
      if (cosign) setCosign(ctx.db, cosign.note, { by: entry.by, at: entry.at }, at);
    },
  },
  'episode.saved': {
    stream: 'clinical',
    // Assistants do not evaluate or plan care (docs/architecture.md#episodes-of-care).
    policy: (ctx) => (ctx.actorRole === 'therapist' ? null : 'only a therapist can open or change an episode of care'),
    reduce(ctx, body, entry, at) {
      const episode = openEntryBody(ctx.keystore, 'episode.saved', entry, body);
      const patientId = patientOfStream(entry.stream);
      // Two saves of one episode made at once on two computers: the later in (height, hash) order is the episode.
      if (episode && patientId)
        putEpisode(
          ctx.db,
          { patientId, episodeId: episode.episode, at: entry.at, savedBy: entry.by, start: episode.start, body: JSON.stringify(episode) },
          at,
        );
    },
  },
};
