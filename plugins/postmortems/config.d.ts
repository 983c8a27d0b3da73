export interface Config {
  postmortems?: {
    /** How post-mortems show images written into their Markdown. */
    images?: {
      /**
       * Hosts whose images post-mortems show, e.g. `wiki.example.com` or
       * `*.example.com`. Images of the portal's own origin are always shown;
       * an image from any other host is not loaded (a reader's browser would
       * otherwise fetch it, a tracking pixel say): a placeholder names the
       * host instead.
       * @visibility frontend
       */
      allowedHosts?: string[];
    };
  };
}
