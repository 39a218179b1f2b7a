// Applies one migration file the way dbmate does: the whole file as ONE simple-protocol Query
// message (client.query(text) without parameters), in a transaction with its ledger row.
// Usage: node one-query.js postgresql://user@127.0.0.1:PORT/DB FILE
'use strict';
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

async function main() {
  const [url, file] = process.argv.slice(2);
  const version = path.basename(file).split('_')[0];
  const name = path.basename(file, '.sql').slice(version.length + 1);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS supabase_migrations; '
      + 'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations '
      + '(version text NOT NULL PRIMARY KEY, statements text[], name text)');
    await client.query('BEGIN');
    await client.query(fs.readFileSync(file, 'utf8'));
    await client.query('INSERT INTO supabase_migrations.schema_migrations(version, name) VALUES ($1, $2)',
      [version, name]);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
