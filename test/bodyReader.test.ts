import restify from 'restify';
import { bodyReader } from '../src/bodyReader.js';

/** A restify server that answers what bodyReader left in req.body: its kind and length. */
async function echoServer(maxBytes: number) {
  const server = restify.createServer();
  server.use(bodyReader(maxBytes));
  server.post('/echo', async (req, res) => {
    const body: unknown = req.body;
    res.json(200, {
      kind: Buffer.isBuffer(body) ? 'buffer' : typeof body,
      length: (body as string | Buffer).length,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/echo`, close: () => server.close() };
}

const post = async (url: string, body: string | Buffer | ReadableStream, type: string) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
    duplex: 'half',
  });
  return { status: res.status, body: await res.json() };
};

describe('the body reader', () => {
  it('gives JSON, form and text bodies as text and others as bytes, as restify did', async () => {
    const server = await echoServer(1024);
    expect(await post(server.url, '{"a":"é"}', 'application/json')).toEqual({
      status: 200,
      body: { kind: 'string', length: 9 },
    });
    expect(await post(server.url, 'a=1', 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({
      status: 200,
      body: { kind: 'string', length: 3 },
    });
    expect(await post(server.url, Buffer.from([0, 1, 2]), 'application/octet-stream')).toEqual({
      status: 200,
      body: { kind: 'buffer', length: 3 },
    });
    server.close();
  });

  it('answers 413 past the limit, whether the length is declared or streamed', async () => {
    const server = await echoServer(1024);
    const over = { status: 413, body: { error: 'The body is larger than 1 KB.' } };
    expect(await post(server.url, 'x'.repeat(1025), 'text/plain')).toEqual(over);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(400)));
        controller.close();
      },
    });
    expect(await post(server.url, stream, 'text/plain')).toEqual(over);
    expect(await post(server.url, 'x'.repeat(1024), 'text/plain')).toEqual({
      status: 200,
      body: { kind: 'string', length: 1024 },
    });
    server.close();
  });
});
