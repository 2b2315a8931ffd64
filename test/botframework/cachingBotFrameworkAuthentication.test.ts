import type { Activity } from 'botbuilder';
import {
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { CachingBotFrameworkAuthentication } from '../../src/botframework/cachingBotFrameworkAuthentication.js';

function identity(appId: string): ClaimsIdentity {
  return new ClaimsIdentity([{ type: 'appid', value: appId }], true);
}

/** Clients are plain tagged objects: what matters is which one each turn gets and how many were built. */
class CountingFactory extends ConnectorFactory {
  readonly built: string[] = [];
  failNext = false;

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('credentials unavailable'));
    }
    const tag = `${serviceUrl} ${audience ?? '-'} #${this.built.length + 1}`;
    this.built.push(tag);
    return Promise.resolve({ tag } as unknown as ConnectorClient);
  }
}

/** The configured authentication: accepts the header 'Bearer <app id>' and counts what it builds. */
class CountingAuthentication extends BotFrameworkAuthentication {
  readonly factory = new CountingFactory();
  authentications = 0;
  tokenClients = 0;

  authenticateRequest(_activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    this.authentications++;
    const appId = authHeader.replace('Bearer ', '');
    return Promise.resolve({
      claimsIdentity: identity(appId),
      audience: 'aud',
      callerId: 'caller',
      connectorFactory: this.factory,
    });
  }

  authenticateStreamingRequest(authHeader: string): Promise<AuthenticateRequestResult> {
    return this.authenticateRequest({} as Activity, authHeader);
  }

  createConnectorFactory(): ConnectorFactory {
    return this.factory;
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    this.tokenClients++;
    return Promise.resolve({ appId: claimsIdentity.getClaimValue('appid') } as unknown as UserTokenClient);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    throw new Error('not used here');
  }
}

const tagOf = (client: ConnectorClient) => (client as unknown as { tag: string }).tag;

describe('CachingBotFrameworkAuthentication', () => {
  it('authenticates every request but builds one connector client per app, service URL and audience', async () => {
    const inner = new CountingAuthentication();
    const auth = new CachingBotFrameworkAuthentication(inner);
    const turn = async (appId: string, serviceUrl: string, audience?: string) => {
      const result = await auth.authenticateRequest({} as Activity, `Bearer ${appId}`);
      return tagOf(await result.connectorFactory!.create(serviceUrl, audience));
    };

    expect(await turn('app-1', 'https://a.example')).toBe('https://a.example - #1');
    expect(await turn('app-1', 'https://a.example')).toBe('https://a.example - #1');
    expect(await turn('app-1', 'https://b.example')).toBe('https://b.example - #2');
    expect(await turn('app-1', 'https://a.example', 'other')).toBe('https://a.example other #3');
    expect(await turn('app-2', 'https://a.example')).toBe('https://a.example - #4');
    expect(inner.authentications).toBe(5);
    expect(inner.factory.built).toHaveLength(4);

    // createConnectorFactory (proactive messages) shares the same clients.
    const proactive = auth.createConnectorFactory(identity('app-1'));
    expect(tagOf(await proactive.create('https://b.example'))).toBe('https://b.example - #2');
  });

  it('forgets a client that failed to build, so the next turn builds it again', async () => {
    const inner = new CountingAuthentication();
    const auth = new CachingBotFrameworkAuthentication(inner);
    const factory = auth.createConnectorFactory(identity('app-1'));
    inner.factory.failNext = true;
    await expect(factory.create('https://a.example')).rejects.toThrow('credentials unavailable');
    expect(tagOf(await factory.create('https://a.example'))).toBe('https://a.example - #1');
    expect(tagOf(await factory.create('https://a.example'))).toBe('https://a.example - #1');
  });

  it('builds one user-token client per app id', async () => {
    const inner = new CountingAuthentication();
    const auth = new CachingBotFrameworkAuthentication(inner);
    const first = await auth.createUserTokenClient(identity('app-1'));
    expect(await auth.createUserTokenClient(identity('app-1'))).toBe(first);
    expect(await auth.createUserTokenClient(identity('app-2'))).not.toBe(first);
    expect(inner.tokenClients).toBe(2);
  });
});
