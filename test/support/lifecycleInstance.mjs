// One instance of the service's background work for the stress suite, on a clock its parent sets:
// the app as the composition root builds it (dist/, so `npm run build` first) on DATABASE_URL.
// The server reads the system clock, so the lifecycle's year runs here instead. Each message
// `{ step, at }` sets the clock to `at` and runs the background sweep once (the first one builds
// the app, whose start runs it); the reply `{ step }` says it is done, `{ step, error }` that it failed.
import { createApp } from '../../dist/src/app.js';
import { loadConfig } from '../../dist/src/config.js';
import { ManualClock } from '../../dist/src/core/clock.js';

let clock;
let app;

async function pass(at) {
  if (!clock) {
    clock = new ManualClock(at);
    // Nothing delivered: the test reads what was committed to the outbox.
    app = await createApp(loadConfig(process.env), { clock, deliverOnCommit: false });
    return;
  }
  clock.set(at);
  await app.sweep();
}

// One message at a time: the parent waits for each reply before it sends the next.
process.on('message', ({ step, at }) => {
  pass(at).then(
    () => process.send({ step }),
    (err) => process.send({ step, error: String(err?.stack ?? err) }),
  );
});
