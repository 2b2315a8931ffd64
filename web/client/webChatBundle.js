// Web Chat as this page uses it, bundled from the project's own node_modules by scripts/bundleWeb.mjs:
// the full React Web Chat (Adaptive Cards, markdown) without the speech services the prebuilt
// webchat.js carries. Its source file is imported by path: the package's exports offer only bundles.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createStore } from 'botframework-webchat-core';
import FullReactWebChat from '../../node_modules/botframework-webchat/src/FullReactWebChat';

export { createStore };

/** Mounts Web Chat into `element`; the returned function renders it again with new props (the same store). */
export function mountWebChat(element) {
  const root = createRoot(element);
  return (props) => root.render(createElement(FullReactWebChat, props));
}
