import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { GenerationJob } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { GeneratedSection, postmortemsApiRef } from '../api';

export interface GenerationJobState {
  /** The job as last reported; undefined before one starts. */
  job?: GenerationJob;
  /** Sections as the stream delivered them, in completion order. */
  sections: GeneratedSection[];
  running: boolean;
  /** Why the job could not start or be followed, or why it failed. */
  error?: Error;
  /**
   * Starts a job and follows it; resolves with its final state, or undefined
   * when it could not start.
   */
  run(start: () => Promise<GenerationJob>): Promise<GenerationJob | undefined>;
  reset(): void;
}

/** Starts a generation job and follows it until it ends. */
export function useGenerationJob(): GenerationJobState {
  const api = useApi(postmortemsApiRef);
  const [job, setJob] = useState<GenerationJob>();
  const [sections, setSections] = useState<GeneratedSection[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();
  const abort = useRef<AbortController>();

  useEffect(() => () => abort.current?.abort(), []);

  const run = useCallback(
    async (start: () => Promise<GenerationJob>) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setRunning(true);
      setError(undefined);
      setSections([]);
      setJob(undefined);
      try {
        const started = await start();
        if (controller.signal.aborted) return undefined;
        setJob(started);
        const final = await api.watchGenerationJob(started.id, {
          signal: controller.signal,
          onStatus: update => {
            if (!controller.signal.aborted) setJob(update);
          },
          onSection: section => {
            if (controller.signal.aborted) return;
            setSections(previous => [
              ...previous.filter(s => s.key !== section.key),
              section,
            ]);
          },
        });
        if (controller.signal.aborted) return undefined;
        setJob(final);
        if (final.status === 'failed') {
          setError(new Error(final.error ?? 'Generation failed'));
        }
        return final;
      } catch (e) {
        if (!controller.signal.aborted) setError(e as Error);
        return undefined;
      } finally {
        if (!controller.signal.aborted) setRunning(false);
      }
    },
    [api],
  );

  const reset = useCallback(() => {
    abort.current?.abort();
    setJob(undefined);
    setSections([]);
    setError(undefined);
    setRunning(false);
  }, []);

  return { job, sections, running, error, run, reset };
}
