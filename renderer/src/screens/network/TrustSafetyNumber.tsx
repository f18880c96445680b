import { safetyGroups } from './TrustFormat.js';

/** A safety number, monospace and grouped; the same text must show at both clinics. */
export function TrustSafetyNumber({
  fingerprint,
  large = false,
  testId,
}: {
  readonly fingerprint: string;
  readonly large?: boolean;
  readonly testId?: string;
}) {
  return (
    <span className={large ? 'safety-number large mono' : 'safety-number mono'} data-testid={testId}>
      {safetyGroups(fingerprint).join(' ')}
    </span>
  );
}
