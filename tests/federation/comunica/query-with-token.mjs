// Comunica as a library, querying htkg with a bearer token: the comunica-sparql CLI can only
// send Basic credentials, so a partner's application passes Comunica a `fetch` that adds
// `Authorization: Bearer ...` to every request it makes.
//
// Usage: HTKG_TOKEN=... node query-with-token.mjs http://127.0.0.1:8000/sparql 'SELECT ...'
// Prints the answer as CSV (SPARQL 1.1 Query Results CSV) on standard output.
import { QueryEngine } from '@comunica/query-sparql';

const [endpoint, query] = process.argv.slice(2);
const token = process.env.HTKG_TOKEN;
if (!endpoint || !query || !token) {
  console.error('usage: HTKG_TOKEN=<token> node query-with-token.mjs <endpoint> <query>');
  process.exit(2);
}

function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const engine = new QueryEngine();
const result = await engine.query(query, {
  sources: [{ type: 'sparql', value: endpoint }],
  fetch: fetchWithToken,
});
const { data } = await engine.resultToString(result, 'text/csv');
data.pipe(process.stdout);
