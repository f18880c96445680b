import { z } from 'zod';

// zod 4 probes once whether `new Function` is allowed, to compile fast object parsers. The page's
// Content-Security-Policy forbids eval (no 'unsafe-eval'), so the probe only logs a CSP violation
// on every load. Jitless parsing skips the probe; the speed difference is immaterial for forms.
// Imported first by main.tsx, before any schema parses.
z.config({ jitless: true });
