/* global window, WebSocket, sessionStorage -- the page.evaluate callback below runs inside the page */
import type { Page } from '@playwright/test';

/**
 * Signs a note for Ana Tester through the API, as `name`, on a fresh connection of the page's host:
 * a step the co-signature and billing journeys need, whose form has its own journey
 * (e2e/charting.spec.ts). With `visit`, the note documents her first visit this week. Throws on a refusal.
 */
export async function signNoteForAna(page: Page, name: string, passphrase: string, note: Record<string, unknown>, visit: boolean): Promise<void> {
  const refused = await page.evaluate(
    async ({ name, passphrase, note, visit }) => {
      const url = new URL('/api', window.location.href);
      url.protocol = 'ws:';
      url.searchParams.set('token', sessionStorage.getItem('movelog.token') ?? '');
      const socket = new WebSocket(url);
      await new Promise((resolve) => (socket.onopen = resolve));
      let next = 1;
      const ask = (call: string, input: unknown) =>
        new Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>((resolve) => {
          const id = next++;
          socket.addEventListener('message', (event: MessageEvent<string>) => {
            const message = JSON.parse(event.data) as {
              id: number;
              result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
            };
            if (message.id === id) resolve(message.result);
          });
          socket.send(JSON.stringify({ id, call, input }));
        });
      try {
        const choices = (await ask('session.choices', {})).value as { id: string; name: string }[];
        const signedIn = await ask('session.signIn', { staffId: choices.find((c) => c.name === name)?.id, passphrase });
        if (!signedIn.ok) return `sign-in: ${signedIn.error?.message ?? ''}`;
        const found = (await ask('patient.search', { query: 'tester' })).value as { patientId: string }[];
        const patientId = found[0]?.patientId;
        let appointmentId: string | null = null;
        if (visit) {
          const day = 86_400_000;
          const visits = await ask('schedule.range', { from: Date.now() - 7 * day, to: Date.now() + 7 * day, patientId });
          appointmentId = (visits.value as { appointmentId: string }[] | undefined)?.[0]?.appointmentId ?? null;
          if (appointmentId === null) return 'Ana has no visit this week';
        }
        const signed = await ask('notes.sign', { patientId, note: { ...note, appointmentId } });
        return signed.ok ? null : `notes.sign: ${signed.error?.message ?? ''}`;
      } finally {
        socket.close();
      }
    },
    { name, passphrase, note, visit },
  );
  if (refused !== null) throw new Error(`Could not sign the note as ${name}: ${refused}`);
}
