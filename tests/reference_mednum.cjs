// Feed our open-data exports to the national map's reference library
// (@gouvfr-anct/lieux-de-mediation-numerique) and report, as JSON on stdout, for each file given:
// how many records it read, how many it accepted, the refusals with their reason, and every field
// where toSchema(fromSchema(record)) differs from the record.
// Usage: node tests/reference_mednum.cjs FILE.json|FILE.csv ...   (run by tests/test_reference_nationale.py)
'use strict';

const fs = require('node:fs');
const {
  fromSchemaLieuDeMediationNumerique,
  toSchemaLieuMediationNumerique
} = require('@gouvfr-anct/lieux-de-mediation-numerique');

// RFC 4180 CSV (quotes, doubled quotes, CRLF inside quoted cells): our CSV export's dialect.
const csvRows = (text) => {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/u, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
};

// CSV records as the library's input: empty cells absent, coordinates as numbers.
const csvRecords = (text) => {
  const [header, ...rows] = csvRows(text);
  return rows.map((cells) => {
    const record = {};
    header.forEach((name, i) => {
      if (cells[i] === undefined || cells[i] === '') return;
      record[name] = ['latitude', 'longitude'].includes(name) ? Number(cells[i]) : cells[i];
    });
    return record;
  });
};

const records = (path) => {
  const text = fs.readFileSync(path, 'utf8');
  return path.endsWith('.csv') ? csvRecords(text) : JSON.parse(text);
};

// The standard's fields of a record (our JSON adds "extensions", which the library ignores).
const standardFields = (record) => Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'extensions'));

const differences = (before, after) => {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].sort().filter((key) => String(before[key]) !== String(after[key]))
    .map((key) => ({ champ: key, nous: before[key] ?? null, bibliotheque: after[key] ?? null }));
};

const check = (path) => {
  const report = { fichier: path, lus: 0, acceptes: 0, refus: [], differences: [] };
  for (const raw of records(path)) {
    report.lus += 1;
    const record = standardFields(raw);
    let back;
    try {
      back = toSchemaLieuMediationNumerique(fromSchemaLieuDeMediationNumerique(record));
    } catch (error) {
      report.refus.push({ id: record.id ?? null, raison: `${error.name}: ${error.message}` });
      continue;
    }
    report.acceptes += 1;
    for (const difference of differences(record, back)) report.differences.push({ id: record.id, ...difference });
  }
  return report;
};

process.stdout.write(JSON.stringify(process.argv.slice(2).map(check)));
