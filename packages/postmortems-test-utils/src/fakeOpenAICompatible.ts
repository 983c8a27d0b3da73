import {
  completion,
  FakeReply,
  FakeServer,
  openAIError,
  RecordedRequest,
  streamedCompletion,
} from './fakeServers';

/**
 * How a self-hosted or proxied OpenAI-compatible server treats structured
 * output, as the real ones do:
 *
 * - `openai`: honours `json_schema`, `json_object` and text.
 * - `vllm`: refuses `json_schema` with 400 and vLLM's own error body (not
 *   nested under `error`); honours `json_object`.
 * - `llamacpp`: refuses `json_schema` the way llama.cpp's server does (HTTP
 *   500, "response_format type must be one of …"); honours `json_object`.
 * - `litellm`: a LiteLLM proxy in front of a backend without structured
 *   output: any `response_format` is a 400 `UnsupportedParamsError`.
 * - `ollama`: accepts any `response_format` and ignores it, answering prose
 *   with 200; without one, the model writes what the prompt asks.
 * - `azure`: Azure OpenAI: `POST /openai/deployments/{deployment}/chat/completions?api-version=…`
 *   with an `api-key` header; `json_schema` only from api-version
 *   2024-08-01-preview on (400 before).
 */
export type OpenAIPersona =
  | 'openai'
  | 'vllm'
  | 'llamacpp'
  | 'litellm'
  | 'ollama'
  | 'azure';

/** What the fake's "model" is asked to write. */
export interface FakeChatAsk {
  /** The output the server enforces: JSON by schema, any JSON, or text. */
  format: 'json_schema' | 'json_object' | 'text';
  /** The request body as sent. */
  body: any;
}

export interface FakeOpenAICompatibleOptions {
  apiKey: string;
  /** The model: the content of an answer the server lets through. */
  write(ask: FakeChatAsk): string;
  /** Azure only: the deployment served (default `drafts`). */
  deployment?: string;
  /**
   * Answers ahead of the persona (a 429, a hang, a malformed answer);
   * undefined lets the persona answer.
   */
  intercept?(req: RecordedRequest, body: any): FakeReply | undefined;
  /** Ollama only: the prose it answers when it ignores the response format. */
  prose?: string;
}

/** The `response_format.type` of a recorded request, or `none`. */
export function responseFormatOf(req: RecordedRequest): string {
  try {
    return JSON.parse(req.body).response_format?.type ?? 'none';
  } catch {
    return 'unreadable';
  }
}

const OLLAMA_PROSE =
  'Sure! Here is a draft of the post-mortem. The incident started when the service could not reach its database, and the team rolled back the deploy to resolve it.';

/**
 * An OpenAI-compatible chat completions server with the quirks of a given
 * persona, checking the path and credentials the way that server does, so a
 * client calling the wrong URL or sending the wrong header fails here too.
 */
export class FakeOpenAICompatible extends FakeServer {
  constructor(
    readonly persona: OpenAIPersona,
    options: FakeOpenAICompatibleOptions,
  ) {
    super(req => answer(persona, options, req));
  }
}

function answer(
  persona: OpenAIPersona,
  options: FakeOpenAICompatibleOptions,
  req: RecordedRequest,
): FakeReply {
  const url = new URL(req.path, 'http://fake');
  const refusal = persona === 'azure' ? azureGate : openAIGate;
  const refused = refusal(url, req, options);
  if (refused) return refused;
  let body: any;
  try {
    body = JSON.parse(req.body);
  } catch {
    body = undefined;
  }
  if (!Array.isArray(body?.messages) || body.messages.length === 0) {
    return {
      status: 400,
      body: openAIError(
        'messages: at least one message is required',
        'invalid_request_error',
      ),
    };
  }
  const intercepted = options.intercept?.(req, body);
  if (intercepted) return intercepted;

  const asked: string = body.response_format?.type ?? 'text';
  const send = (content: string): FakeReply =>
    body.stream ? streamedCompletion(content) : { body: completion(content) };
  const write = (format: FakeChatAsk['format']) =>
    send(options.write({ format, body }));

  switch (persona) {
    case 'openai':
      return write(asked as FakeChatAsk['format']);
    case 'vllm':
      if (asked === 'json_schema') {
        return {
          status: 400,
          body: {
            object: 'error',
            message:
              "Unrecognized response_format type 'json_schema'; expected 'json_object' or 'text'",
            type: 'BadRequestError',
            param: null,
            code: 400,
          },
        };
      }
      return write(asked as FakeChatAsk['format']);
    case 'llamacpp':
      if (asked === 'json_schema') {
        return {
          status: 500,
          body: {
            error: {
              code: 500,
              message:
                'response_format type must be one of "text" or "json_object", but got: json_schema',
              type: 'server_error',
            },
          },
        };
      }
      return write(asked as FakeChatAsk['format']);
    case 'litellm':
      if (body.response_format) {
        return {
          status: 400,
          body: {
            error: {
              message: `litellm.UnsupportedParamsError: together_ai does not support parameters: ['response_format'], for model=${body.model}. To drop these, set \`litellm.drop_params=True\` or for proxy:\n\n\`litellm_settings:\n drop_params: true\`\n`,
              type: 'None',
              param: null,
              code: '400',
            },
          },
        };
      }
      return write('text');
    case 'ollama':
      if (body.response_format) return send(options.prose ?? OLLAMA_PROSE);
      return write('text');
    case 'azure': {
      const version = url.searchParams.get('api-version')!;
      if (asked === 'json_schema' && version < '2024-08-01-preview') {
        return {
          status: 400,
          body: {
            error: {
              message:
                'response_format value as json_schema is enabled only for api versions 2024-08-01-preview and later',
              type: 'invalid_request_error',
              param: null,
              code: 'BadRequest',
            },
          },
        };
      }
      return write(asked as FakeChatAsk['format']);
    }
    default:
      throw new Error(`Unknown persona ${persona}`);
  }
}

function openAIGate(
  url: URL,
  req: RecordedRequest,
  options: FakeOpenAICompatibleOptions,
): FakeReply | undefined {
  if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
    return {
      status: 404,
      body: openAIError(
        `Invalid URL (${req.method} ${url.pathname})`,
        'invalid_request_error',
      ),
    };
  }
  if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
    return {
      status: 401,
      body: openAIError('Incorrect API key provided', 'invalid_request_error'),
    };
  }
  return undefined;
}

function azureGate(
  url: URL,
  req: RecordedRequest,
  options: FakeOpenAICompatibleOptions,
): FakeReply | undefined {
  const deployment = options.deployment ?? 'drafts';
  const match = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(
    url.pathname,
  );
  if (req.method !== 'POST' || !match || !url.searchParams.get('api-version')) {
    return {
      status: 404,
      body: { error: { code: '404', message: 'Resource not found' } },
    };
  }
  if (req.headers['api-key'] !== options.apiKey) {
    return {
      status: 401,
      body: {
        error: {
          code: '401',
          message:
            'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        },
      },
    };
  }
  if (decodeURIComponent(match[1]) !== deployment) {
    return {
      status: 404,
      body: {
        error: {
          code: 'DeploymentNotFound',
          message:
            'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        },
      },
    };
  }
  return undefined;
}
