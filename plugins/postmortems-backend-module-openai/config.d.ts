export interface Config {
  postmortems?: {
    /**
     * An OpenAI or OpenAI-compatible model (Azure OpenAI, Ollama, vLLM, a
     * gateway). Without an API key drafts are made by the deterministic
     * drafter.
     */
    openai?: {
      /**
       * The API key, from the environment: `${OPENAI_API_KEY}`.
       * @visibility secret
       */
      apiKey?: string;
      /**
       * Model name; defaults to gpt-4o-mini.
       * @visibility backend
       */
      model?: string;
      /**
       * Base URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1 for Ollama.
       * @visibility backend
       */
      baseUrl?: string;
      /**
       * Timeout of one request in seconds (default 60).
       * @visibility backend
       */
      timeoutSeconds?: number;
      /**
       * Retries of 429, 5xx and timeouts, with backoff and jitter (default 3).
       * @visibility backend
       */
      maxRetries?: number;
      /**
       * Upper bound on the tokens of one answer (default 4000).
       * @visibility backend
       */
      maxOutputTokens?: number;
      /**
       * `document` (default): one call writes the whole draft, fewest tokens.
       * `sections`: one call per section plus one for the action items, in
       * parallel; sections appear as they are written and the draft is done
       * several times sooner, but the evidence is sent with every call.
       * @visibility backend
       */
      strategy?: 'document' | 'sections';
      /**
       * How many calls of the `sections` strategy run at once (default 8: all sections of the standard template and the action items together).
       * @visibility backend
       */
      parallelism?: number;
      /**
       * How the model is asked to shape its answer. `auto` (default) asks for
       * structured output (`json_schema`) and steps down to JSON mode
       * (`json_object`, the schema in the prompt), then to Markdown sections
       * read by their headings (`markdown`), when the server refuses or
       * ignores a mode; the mode that works is remembered until the backend
       * restarts. Any other value pins that mode.
       * @visibility backend
       */
      outputMode?: 'auto' | 'json_schema' | 'json_object' | 'markdown';
      /**
       * Azure OpenAI, instead of `baseUrl`: requests go to
       * `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version={apiVersion}`
       * with the key in the `api-key` header.
       * @visibility backend
       */
      azure?: {
        /**
         * The resource endpoint, e.g. https://my-resource.openai.azure.com.
         * @visibility backend
         */
        endpoint: string;
        /**
         * The deployment name; also the default model name.
         * @visibility backend
         */
        deployment: string;
        /**
         * The API version (default 2024-10-21); structured output needs 2024-08-01-preview or later, older versions fall back to JSON mode.
         * @visibility backend
         */
        apiVersion?: string;
      };
    };
  };
}
