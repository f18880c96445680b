// The patient signs on screen: a <canvas> drawn on with pointer events (mouse, pen or finger),
// kept as integer strokes and handed up as the `DrawnSignature` the ledger stores
// (docs/architecture.md#consent-screens). A canvas cannot be drawn on by keyboard: the paper form
// and the witnessed verbal consent beside it are the keyboard-accessible ways to record consent,
// and the pad's hint says so (WCAG 2.2 SC 2.5.7 Dragging Movements: an alternative without dragging).
import { useEffect, useRef, useState } from 'react';
import type { DrawnSignature } from '../../../../shared/ledger/kinds/consent.js';
import { signaturePath, strokesOf } from './signature.js';
import type { Point } from './signature.js';

/** The pad's own coordinate box: what the stored path's numbers mean, whatever size the canvas is drawn at. */
export const PAD = { width: 600, height: 200 } as const;

export function SignaturePad(props: {
  readonly id: string;
  readonly value: DrawnSignature | null;
  readonly onChange: (signature: DrawnSignature | null) => void;
  readonly error?: string | null;
  readonly describedBy?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>(props.value ? strokesOf(props.value.path) : []);
  const drawing = useRef(false);
  const [tooDetailed, setTooDetailed] = useState(false);

  const redraw = () => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, PAD.width, PAD.height);
    context.lineWidth = 2.5;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.strokeStyle = '#101828';
    for (const stroke of strokes.current) {
      const [first, ...rest] = stroke;
      if (!first) continue;
      context.beginPath();
      context.moveTo(first.x, first.y);
      for (const p of rest.length > 0 ? rest : [{ x: first.x + 0.1, y: first.y }]) context.lineTo(p.x, p.y);
      context.stroke();
    }
  };
  useEffect(redraw, []);

  /** A pointer position in the pad's box (the canvas may be drawn narrower on a small window). */
  const at = (event: React.PointerEvent<HTMLCanvasElement>): Point => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * PAD.width) / box.width, y: ((event.clientY - box.top) * PAD.height) / box.height };
  };

  const finish = () => {
    if (!drawing.current) return;
    drawing.current = false;
    const path = signaturePath(strokes.current, PAD.width, PAD.height);
    setTooDetailed(path === null && strokes.current.length > 0);
    props.onChange(path === null ? null : { width: PAD.width, height: PAD.height, path });
  };

  const clear = () => {
    strokes.current = [];
    setTooDetailed(false);
    redraw();
    props.onChange(null);
  };

  const errorText = tooDetailed ? 'The signature has too much detail to keep. Clear it and sign again, a little larger and simpler.' : props.error;
  return (
    <div className="signature-pad">
      <canvas
        ref={canvas}
        id={props.id}
        width={PAD.width}
        height={PAD.height}
        role="img"
        aria-label={props.value ? 'The patient’s signature, drawn' : 'Signature pad, empty: the patient signs here with a mouse, pen or finger'}
        aria-describedby={props.describedBy}
        aria-invalid={errorText ? true : undefined}
        data-testid="signature-pad"
        onPointerDown={(event) => {
          event.preventDefault();
          event.currentTarget.setPointerCapture(event.pointerId);
          drawing.current = true;
          strokes.current.push([at(event)]);
          redraw();
        }}
        onPointerMove={(event) => {
          if (!drawing.current) return;
          strokes.current[strokes.current.length - 1]?.push(at(event));
          redraw();
        }}
        onPointerUp={finish}
        onPointerCancel={finish}
        onLostPointerCapture={finish}
      />
      <div className="row">
        <button type="button" className="secondary" onClick={clear}>
          Clear signature
        </button>
        <span className="hint">{props.value ? 'Signed.' : 'Not signed yet.'}</span>
      </div>
      {errorText && (
        <p id={`${props.id}-error`} className="field-error">
          {errorText}
        </p>
      )}
    </div>
  );
}
