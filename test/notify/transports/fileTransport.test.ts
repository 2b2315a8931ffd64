import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryError } from '../../../src/notify/transport.js';
import { FileTransport } from '../../../src/notify/transports/fileTransport.js';
import { outboxMessage } from '../../store/repositoryContract.js';
import { scratchDir } from '../../support/testConfig.js';

const ids = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { id: string }).id);

describe('the file transport', () => {
  it('appends one line a message, making its folder when it is missing, also when removed meanwhile', async () => {
    const dir = scratchDir();
    const file = join(dir, 'inbox', 'outbox.jsonl');
    const transport = new FileTransport(file);
    await transport.send(outboxMessage('o-1'));
    await transport.send(outboxMessage('o-2'));
    expect(ids(file)).toEqual(['o-1', 'o-2']);
    rmSync(join(dir, 'inbox'), { recursive: true });
    await transport.send(outboxMessage('o-3'));
    expect(ids(file)).toEqual(['o-3']);
  });

  it('fails as a delivery that may be tried again when the file cannot be written', async () => {
    const file = join(scratchDir(), 'outbox.jsonl');
    mkdirSync(file);
    await expect(new FileTransport(file).send(outboxMessage('o-1'))).rejects.toBeInstanceOf(DeliveryError);
  });
});
