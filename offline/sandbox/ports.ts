/** The sandbox's fixed ports (the URLs in amplify_outputs.json stay the same across restarts); 0 picks free ones. */
export const DEFAULT_PORTS = { cognito: 20001, appsync: 20002, console: 20003, s3: 20005 } as const;
