export interface Config {
  postmortems?: {
    permissions?: {
      /**
       * User or group entity refs (`user:default/frank`, `group:default/sre`)
       * that the post-mortems policy allows every post-mortem permission,
       * including reading every draft and managing templates. Group
       * membership comes from the signed-in user's ownership refs.
       * @visibility backend
       */
      admins?: string[];
    };
  };
}
