/*
 * The listeners of bench/live.bench.ts, in a process of their own so that
 * they never wait for the backend's event loop (nor it for theirs), as a
 * browser would not: server-sent event streams read with fetch, and signals
 * WebSockets opened the way the frontend's SignalClient opens them (Node's
 * WebSocket, the browser API: the Backstage token as the subprotocol, then
 * one `{"action":"subscribe","channel":…}` message per channel).
 *
 * Told what to open over IPC; reports everything it receives with the time
 * it arrived, in epoch milliseconds with sub-millisecond precision
 * (performance.timeOrigin + performance.now()), which the benchmark's
 * process measures the same way on the same clock.
 *
 * Commands: {cmd:'sse', id, url, token}, {cmd:'ws', id, url, token,
 * channels}, {cmd:'close', ids}, {cmd:'exit'}.
 * Reports: sse-open, sse-event, sse-comment, sse-end, ws-open, ws-message,
 * ws-close, failed (each with `id` and `at`).
 */
const now = () => performance.timeOrigin + performance.now();
const report = message => process.send?.({ ...message, at: now() });

const streams = new Map();
const sockets = new Map();

async function openStream({ id, url, token }) {
  const controller = new AbortController();
  streams.set(id, controller);
  try {
    const response = await fetch(url, {
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      },
      signal: controller.signal,
    });
    report({ kind: 'sse-open', id, status: response.status });
    if (!response.ok || !response.body) {
      report({ kind: 'sse-end', id, error: `status ${response.status}` });
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      // Events are separated by a blank line; each is reported when whole.
      for (
        let end = buffer.indexOf('\n\n');
        end >= 0;
        end = buffer.indexOf('\n\n')
      ) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) {
          report({ kind: 'sse-comment', id, text: block.slice(1).trim() });
          continue;
        }
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        let parsed = data;
        try {
          parsed = JSON.parse(data);
        } catch {
          // Not JSON: reported as the text it is.
        }
        report({ kind: 'sse-event', id, event, data: parsed });
      }
    }
    report({ kind: 'sse-end', id });
  } catch (error) {
    report({
      kind: 'sse-end',
      id,
      error: controller.signal.aborted ? undefined : String(error),
    });
  } finally {
    streams.delete(id);
  }
}

/**
 * The signals backend starts listening for WebSocket upgrades when the first
 * one reaches its router, so the very first attempt of a fresh backend
 * fails; the frontend's client times out and reconnects, and so does this
 * one.
 */
function openSocket({ id, url, token, channels }, attempt = 1) {
  const socket = new WebSocket(url, token);
  let opened = false;
  sockets.set(id, socket);
  socket.onopen = () => {
    opened = true;
    for (const channel of channels) {
      socket.send(JSON.stringify({ action: 'subscribe', channel }));
    }
    report({ kind: 'ws-open', id, attempt });
  };
  socket.onmessage = event => {
    let message;
    try {
      message = JSON.parse(String(event.data));
    } catch {
      message = { raw: String(event.data) };
    }
    report({
      kind: 'ws-message',
      id,
      channel: message.channel,
      message: message.message,
    });
  };
  // A failed handshake may end with `error` alone (Node's WebSocket fires
  // no `close` then): either one ends this attempt, once.
  let ended = false;
  const end = code => {
    if (ended) return;
    ended = true;
    if (!opened && sockets.get(id) === socket && attempt < 10) {
      setTimeout(
        () => openSocket({ id, url, token, channels }, attempt + 1),
        200,
      );
      return;
    }
    if (sockets.get(id) === socket) sockets.delete(id);
    report({ kind: 'ws-close', id, code, opened });
  };
  socket.onclose = event => end(event.code);
  socket.onerror = () => end(undefined);
  // The first upgrade a fresh signals backend sees gets no answer at all;
  // like the frontend's client, give up on an attempt after a while.
  setTimeout(() => {
    if (opened || ended) return;
    end(undefined);
    socket.close();
  }, 2000);
}

function close(ids) {
  for (const id of ids ?? [...streams.keys(), ...sockets.keys()]) {
    streams.get(id)?.abort();
    streams.delete(id);
    const socket = sockets.get(id);
    if (socket) {
      sockets.delete(id);
      socket.close(1000);
    }
  }
}

process.on('message', message => {
  switch (message.cmd) {
    case 'sse':
      openStream(message);
      break;
    case 'ws':
      openSocket(message);
      break;
    case 'close':
      close(message.ids);
      break;
    case 'exit':
      close();
      setTimeout(() => process.exit(0), 100);
      break;
    default:
      report({
        kind: 'failed',
        id: message.id,
        error: `unknown ${message.cmd}`,
      });
  }
});
// The benchmark gone (crashed, killed), nothing is left listening.
process.on('disconnect', () => process.exit(0));
