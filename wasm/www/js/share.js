// The playground's state in the URL fragment. The fragment never leaves the
// browser (it is not sent with requests), so a link shares policies without
// any server seeing them. Format: `#s1.` + base64url(deflate-raw(JSON)).

const PREFIX = 's1.';
const PLAIN = 'j1.'; // browsers without CompressionStream

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A shared state larger than this is refused: a crafted link must not inflate without bound. */
const MAX_STATE_BYTES = 16 * 1024 * 1024;

async function pipe(bytes, stream) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_STATE_BYTES) {
      await reader.cancel();
      throw new Error('the shared state is too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The fragment (without `#`) holding `state`. */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (typeof CompressionStream === 'undefined') return PLAIN + toBase64Url(json);
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** The state in a fragment, or null when there is none or it is unreadable. */
export async function decodeState(fragment) {
  const text = fragment.replace(/^#/, '');
  try {
    let bytes;
    if (text.startsWith(PREFIX)) {
      bytes = await pipe(fromBase64Url(text.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    } else if (text.startsWith(PLAIN)) {
      bytes = fromBase64Url(text.slice(PLAIN.length));
    } else {
      return null;
    }
    const state = JSON.parse(new TextDecoder().decode(bytes));
    return state && typeof state === 'object' && state.workspace ? state : null;
  } catch {
    return null;
  }
}
