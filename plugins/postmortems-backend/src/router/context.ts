import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { PostmortemAccess } from '../services/PostmortemAccess';

/** What every route group needs: who is calling, and what they may do. */
export interface RouteContext {
  credentials(req: Request): Promise<BackstageCredentials>;
  access: PostmortemAccess;
}

export function createRouteContext(
  httpAuth: HttpAuthService,
  access: PostmortemAccess,
): RouteContext {
  return {
    // Users through the app; services (scripts with a static external-access
    // token, other plugins) through the same API.
    credentials: req =>
      httpAuth.credentials(req, { allow: ['user', 'service'] }),
    access,
  };
}
