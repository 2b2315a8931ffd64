export default async function teardown() {
  await globalThis.__POSTGRES__?.stop();
}
