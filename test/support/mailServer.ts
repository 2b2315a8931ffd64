import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

export interface ReceivedMail {
  mail: ParsedMail;
  /** The login the client used, when it authenticated. */
  user?: string;
  /** What the server answered after DATA: 250, or the reply code it was told to refuse with. */
  answered: number;
}

export interface MailServerOptions {
  /** Refuse mail from anyone who has not logged in with exactly these. */
  login?: { user: string; pass: string };
  /** Reply codes for successive DATA commands (250 = accept); once used up, every mail is accepted. */
  dataReplies?: number[];
  /** Recipients refused at RCPT TO, with 550. */
  unknownRecipients?: string[];
  /** The first this many messages are read and never answered: a server stalled after DATA. */
  unansweredData?: number;
}

function refusal(code: number, text: string): SMTPServerError {
  return Object.assign(new Error(text), { responseCode: code });
}

/** A real SMTP server (nodemailer's smtp-server) on a free loopback port, recording what it is given. */
export async function startMailServer(options: MailServerOptions = {}) {
  const received: ReceivedMail[] = [];
  const logins: { user: string; accepted: boolean }[] = [];
  const replies = [...(options.dataReplies ?? [])];
  let unanswered = options.unansweredData ?? 0;
  /** Messages read in full and never answered (the client gave up on them). */
  const held: ParsedMail[] = [];
  const connections = { open: 0, most: 0, total: 0 };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: !options.login,
    onConnect(_session, callback) {
      connections.open += 1;
      connections.total += 1;
      connections.most = Math.max(connections.most, connections.open);
      callback();
    },
    onClose() {
      connections.open -= 1;
    },
    onAuth(auth, _session, callback) {
      const accepted = auth.username === options.login?.user && auth.password === options.login?.pass;
      logins.push({ user: auth.username ?? '', accepted });
      if (!accepted) return callback(refusal(535, '5.7.8 Authentication credentials invalid'));
      return callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (options.unknownRecipients?.includes(address.address))
        return callback(refusal(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
      return callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        if (unanswered > 0) {
          unanswered -= 1;
          held.push(mail);
          return;
        }
        const answered = replies.shift() ?? 250;
        received.push({ mail, user: typeof session.user === 'string' ? session.user : undefined, answered });
        if (answered === 250) return callback();
        return callback(
          refusal(answered, answered < 500 ? '4.3.0 Try again later' : '5.7.1 Message refused by policy'),
        );
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: (credentials = '') => `smtp://${credentials}127.0.0.1:${port}`,
    received,
    held,
    accepted: () => received.filter((r) => r.answered === 250),
    logins,
    /** Connections open at once at most, and in all. */
    connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type MailServer = Awaited<ReturnType<typeof startMailServer>>;
