// Measures pgshift watch: for each of COUNT small files, the time from the file's last write to
// its ledger row being visible (committed) to another session. Files are written one at a time,
// each once the previous one is recorded; a new session polls the ledger every 2 ms.
// Usage: node watch-latency.js postgresql://user@127.0.0.1:PORT/DB FOLDER COUNT
// Prints one latency in milliseconds per line.
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
const { Client } = require('pg');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const [url, folder, countText] = process.argv.slice(2);
  const count = Number(countText);
  const client = new Client({ connectionString: url });
  await client.connect();
  const recorded = async (version) => {
    const r = await client.query('SELECT 1 FROM supabase_migrations.schema_migrations WHERE version = $1', [version]);
    return r.rowCount === 1;
  };
  try {
    for (let i = 1; i <= count; i++) {
      const version = String(1000 + i);
      const file = path.join(folder, `${version}_step.sql`);
      // Two writes, as an editor that writes in pieces would: the clock starts after the last one.
      const fd = fs.openSync(file, 'w');
      fs.writeSync(fd, `create table step_${i} (id bigint primary key, note text);\n`);
      fs.writeSync(fd, `comment on table step_${i} is 'watch benchmark';\n`);
      fs.closeSync(fd);
      const written = performance.now();
      let exists = false;
      try {
        exists = await recorded(version);
      } catch (e) {
        // No ledger yet: the first apply creates it.
      }
      while (!exists) {
        if (performance.now() - written > 30000) {
          throw new Error(`${path.basename(file)} was not applied within 30 s`);
        }
        await sleep(2);
        try {
          exists = await recorded(version);
        } catch (e) {
          exists = false;
        }
      }
      console.log((performance.now() - written).toFixed(1));
    }
  } finally {
    await client.end();
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
