// Subscribe with the graphql-ws client and print each payload as one JSON line; exit after
// COUNT payloads. Usage: node subscribe.mjs URL TOKEN QUERY VARIABLES_JSON COUNT
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, token, query, variables, count] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
});
let seen = 0;
client.subscribe(
  { query, variables: JSON.parse(variables) },
  {
    next: (payload) => {
      console.log(JSON.stringify(payload));
      seen += 1;
      if (seen >= Number(count)) {
        client.dispose();
        process.exit(0);
      }
    },
    error: (error) => {
      console.error(JSON.stringify(error));
      process.exit(2);
    },
    complete: () => process.exit(seen >= Number(count) ? 0 : 3),
  },
);
