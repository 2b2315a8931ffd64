import type { Request, RequestHandler, Response } from 'restify';

/**
 * Reads a request's body into `req.body` as restify's bodyReader plugin does (text for JSON, form
 * and text types, a Buffer otherwise) and answers 413 past `maxBytes`. It replaces the plugin,
 * which makes its empty body with the deprecated `new Buffer(0)`: Node printed DEP0005 on the first
 * request. The plugin's other work, inflating gzip, is refused before here (checkContentEncoding).
 */
export function bodyReader(maxBytes: number): RequestHandler {
  return (req: Request, res: Response, next: (err?: unknown) => void) => {
    const tooLarge = () => {
      res.json(413, { error: `The body is larger than ${maxBytes / 1024} KB.` });
    };
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      tooLarge();
      req.resume();
      return next(false);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // The rest is read and dropped, so the client gets the answer rather than a reset.
      settled = true;
      tooLarge();
      next(false);
    });
    req.once('end', () => {
      if (settled) return;
      settled = true;
      const body = Buffer.concat(chunks);
      req.body = isText(req.header('content-type')) ? body.toString('utf8') : body;
      next();
    });
    req.once('error', (err) => {
      if (settled) return;
      settled = true;
      next(err);
    });
  };
}

function isText(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return (
    type === '' ||
    type === 'application/json' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'multipart/form-data' ||
    type.startsWith('text/')
  );
}
