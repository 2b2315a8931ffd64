// `npm run mail:catch [-- <port>]`: an SMTP server on 127.0.0.1 (port 2525 by default) that prints
// every mail it receives and keeps none, to watch what members would get while developing:
//   npm run mail:catch
//   NOTIFY_EMAIL_TRANSPORT=smtp SMTP_URL=smtp://127.0.0.1:2525 MAIL_FROM='Membership <members@example.com>' npm start
// It accepts any login (the password is never printed) and offers no STARTTLS. Port 0 picks a free one.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2] ?? 2525);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`mail:catch: the port must be an integer from 0 to 65535, not ${process.argv[2]}`);
  process.exit(1);
}

const server = new SMTPServer({
  logger: false,
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  allowInsecureAuth: true,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username });
  },
  onData(stream, session, callback) {
    simpleParser(stream).then((mail) => {
      const rule = '-'.repeat(72);
      const lines = [
        rule,
        `From:       ${mail.from?.text ?? ''}`,
        `To:         ${
          mail.to
            ? [mail.to]
                .flat()
                .map((a) => a.text)
                .join(', ')
            : ''
        }`,
        `Subject:    ${mail.subject ?? ''}`,
        `Message-ID: ${mail.messageId ?? ''}`,
        `Date:       ${mail.date?.toISOString() ?? ''}`,
        ...(session.user ? [`Login:      ${session.user}`] : []),
        `Parts:      text ${mail.text ? `${mail.text.length} characters` : 'none'}, HTML ${mail.html ? `${mail.html.length} characters` : 'none'}`,
        '',
        mail.text ?? '',
        rule,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      callback();
    }, callback);
  },
});

server.on('error', (err) => console.error(`mail:catch: ${err.message}`));
server.listen(port, '127.0.0.1', () => {
  console.log(`mail:catch: listening on smtp://127.0.0.1:${server.server.address().port} (Ctrl+C to stop)`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
