import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import restify from 'restify';
import { CachingBotFrameworkAuthentication } from '../src/botframework/cachingBotFrameworkAuthentication.js';
import { HttpAdapter } from '../src/botframework/httpAdapter.js';

/**
 * The floor: the same restify + CloudAdapter stack with a bot that only echoes. Nothing the real
 * bot does per turn (dialogs, state, store) is here, so its turns/s is what the framework costs.
 *
 * With ECHO_PLUMBING=ours it runs turns the way the real server does (connector clients reused,
 * processActivity instead of process(); started from the bundle, dist/bench/echoServer.mjs, with
 * botbuilder's async functions native), so the ratio to it is the cost of the bot's own work.
 */
const auth = new ConfigurationBotFrameworkAuthentication({});
const ours = process.env.ECHO_PLUMBING === 'ours';
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`echo: ${context.activity.text}`);
  await next();
});
const server = restify.createServer();
server.use(restify.plugins.bodyParser({ mapParams: false }));
if (ours) {
  const adapter = new HttpAdapter(new CachingBotFrameworkAuthentication(auth));
  server.post('/api/messages', async (req, res) => {
    const outcome = await adapter.runTurn(req.header('authorization') ?? '', req.body as Partial<Activity>, (context) =>
      bot.run(context),
    );
    res.json(outcome.status, 'body' in outcome ? outcome.body : undefined);
  });
} else {
  const adapter = new CloudAdapter(auth);
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
}
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://localhost:${server.address().port}/api/messages\n`);
});
