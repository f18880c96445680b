import type { ReactNode } from 'react';
import { timeOnly } from './format.js';

/**
 * A one-time code on show (pairing a device, inviting a clinic): the code, where to meet, until
 * when, how to use it (`intro`), the command for a computer without a screen, then `children`.
 */
export function OneTimeCode(props: {
  readonly label: string;
  readonly className?: string;
  readonly code: string;
  readonly codeTestId: string;
  readonly server: string;
  readonly expiresAt: number;
  readonly intro: ReactNode;
  readonly command: string;
  readonly commandTestId: string;
  readonly children?: ReactNode;
}) {
  return (
    <div className={`pairing${props.className ? ` ${props.className}` : ''}`} role="group" aria-label={props.label}>
      <p className="pair-code mono" data-testid={props.codeTestId}>
        {props.code}
      </p>
      <dl className="facts">
        <dt>Signalling address</dt>
        <dd className="mono">{props.server}</dd>
        <dt>Expires</dt>
        <dd>at {timeOnly.format(new Date(props.expiresAt))}</dd>
      </dl>
      <p>{props.intro}</p>
      <pre className="command">
        <code data-testid={props.commandTestId}>{props.command}</code>
      </pre>
      {props.children}
    </div>
  );
}
