// Opens a data folder with today's code (openMovelog: migrations, then the view-schema rebuild)
// and prints "opening" just before and "opened" once done (test/faults/kill.int.test.ts,
// docs/architecture.md#faults). The second argument stops it part-way, to be killed there:
//   <N>      inside migration N's transaction, after its SQL ran and before it commits: prints
//            "in migration N: <objects it created>" and waits;
//   views    inside the view-schema rebuild's transaction, after it wrote 5 view rows: prints
//            "in view rebuild: <table>" and waits.
import { writeSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { openMovelog } from '../../out/node/main/core.js';
import { MIGRATIONS } from '../../out/node/main/store/migrations/index.js';

const [dir, stopIn] = process.argv.slice(2);
const wait = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until killed
const names = (db) => db.prepare('SELECT name FROM sqlite_master ORDER BY name').pluck().all();
const at = MIGRATIONS.findIndex((m) => m.version === Number(stopIn));
if (at >= 0) {
  const migration = MIGRATIONS[at];
  MIGRATIONS[at] = {
    ...migration,
    up(db) {
      const before = new Set(names(db));
      migration.up(db);
      const created = names(db).filter((name) => !before.has(name));
      writeSync(1, `in migration ${migration.version}: ${created.join(',')}\n`);
      wait();
    },
  };
}
if (stopIn === 'views') {
  // The rebuild writes view rows inside one transaction once every migration has committed.
  const prepare = Database.prototype.prepare;
  let rows = 0;
  Database.prototype.prepare = function (sql, ...rest) {
    const statement = prepare.call(this, sql, ...rest);
    const table = /^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(view_\w+)/i.exec(sql)?.[1];
    if (!table || !this.inTransaction || this.pragma('user_version', { simple: true }) !== MIGRATIONS.length) return statement;
    const run = statement.run;
    statement.run = (...args) => {
      const result = run.apply(statement, args);
      if (++rows === 5) {
        writeSync(1, `in view rebuild: ${table}\n`);
        wait();
      }
      return result;
    };
    return statement;
  };
}
writeSync(1, 'opening\n');
const movelog = openMovelog(dir);
movelog.close();
writeSync(1, 'opened\n');
