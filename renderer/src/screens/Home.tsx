import type { Clinic } from '../../../shared/api/index.js';
import { Integrity } from './Integrity.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export function Home({ clinic }: { readonly clinic: Clinic }) {
  return (
    <>
      <h1>{clinic.name}</h1>
      <dl className="facts">
        <dt>Manager</dt>
        <dd data-testid="manager-name">{clinic.manager.name}</dd>
        <dt>Set up on</dt>
        <dd>{dateFormat.format(new Date(clinic.createdAt))}</dd>
        <dt>Clinic id</dt>
        <dd className="mono">{clinic.id}</dd>
      </dl>
      <Integrity />
    </>
  );
}
