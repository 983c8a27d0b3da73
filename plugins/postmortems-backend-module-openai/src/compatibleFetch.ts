import { bodySaysFormatUnsupported } from './outputModes';

/**
 * fetch for the SDK that tells apart a server fault from a refused response
 * format: llama.cpp's server refuses `json_schema` with HTTP 500 ("response_format
 * type must be one of …"), which the SDK would retry as a fault; it becomes
 * the 400 it is, so the provider can step down at once. Every other answer
 * passes untouched (a 500 saying anything else is still retried).
 */
export function compatibleFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status < 500) return response;
    const text = await response.text();
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    const refusal = bodySaysFormatUnsupported(text);
    return new Response(text, {
      status: refusal ? 400 : response.status,
      statusText: refusal ? 'Bad Request' : response.statusText,
      headers,
    });
  };
}
