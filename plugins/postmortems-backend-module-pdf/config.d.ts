export interface Config {
  postmortems?: {
    /**
     * Export targets by id. An entry with `type: pdf` lists the PDF download
     * in the export menu; it takes only the core plugin's `type` and
     * `title`. The download works with this module installed whether or not
     * an entry names it.
     */
    exports?: {
      [id: string]: {};
    };
  };
}
