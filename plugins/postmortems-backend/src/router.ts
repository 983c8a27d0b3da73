import express from 'express';
import Router from 'express-promise-router';

/**
 * The HTTP surface of the post-mortems backend. Only HTTP concerns live here;
 * rules and storage live in the services and stores it is given.
 */
export async function createRouter(): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  // Load balancers and the README's smoke test call this without a token.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  return router;
}
