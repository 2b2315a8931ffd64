import * as registrationModule from 'botbuilder-dialogs/lib/dialogsComponentRegistration.js';

type Registration = typeof registrationModule.DialogsComponentRegistration;

/**
 * The module's own exports object, which botbuilder-dialogs reads the class from at each use: the
 * namespace's `default` where the module is imported as CommonJS from ESM (Node, the bundle), the
 * namespace itself where the import is compiled to `require` (the tests).
 */
const moduleExports = ((registrationModule as unknown as { default?: object }).default ?? registrationModule) as {
  DialogsComponentRegistration: Registration;
};

/**
 * Every DialogContext's state manager registers a new DialogsComponentRegistration, whose
 * constructor builds a dependency-injection container of the nine memory scopes, even when the
 * configuration it would feed is reused (sharedMemoryScopes.ts): several contexts a turn, each
 * paying for a container thrown away. The registration holds nothing of a turn, so the class is
 * replaced by one that builds it once and hands the same one out.
 */
export function registerDialogsOnce(): void {
  const Built = moduleExports.DialogsComponentRegistration;
  if ((Built as { once?: boolean }).once) return;
  let built: InstanceType<Registration> | undefined;
  function OnceBuilt(): InstanceType<Registration> {
    return (built ??= new Built());
  }
  OnceBuilt.prototype = Built.prototype;
  OnceBuilt.once = true;
  moduleExports.DialogsComponentRegistration = OnceBuilt as unknown as Registration;
}
