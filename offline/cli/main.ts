/**
 * `amplify-gen2-offline <command> [options]`: the package's command line (bin/amplify-gen2-offline.mjs runs it under
 * tsx). The command is the first argument; each command module parses the arguments after it.
 */
import { colorEnabled, styles } from './command-line.mjs';

const COMMANDS: Record<string, { summary: string; load: () => Promise<unknown> }> = {
  start: { summary: 'run the synthesized backend on this machine (GraphQL, real-time, Cognito, DynamoDB, functions)', load: () => import('./start.js') },
  synth: { summary: 'synthesize amplify/backend.ts into .amplify/artifacts/cdk.out as ampx does, offline', load: () => import('./synth.js') },
  trust: { summary: "add the sandbox's local CA to this machine's browser certificate stores (--uninstall removes it)", load: () => import('./trust.js') },
};

function help(): string {
  const style = styles(colorEnabled(process.stdout));
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    `${style.bold('Usage:')} amplify-gen2-offline <command> [options]`,
    '',
    'Runs an AWS Amplify Gen 2 backend on this machine, from its synthesized cloud assembly: AppSync GraphQL and real-time,',
    'a Cognito user pool, DynamoDB on disk, the Lambda functions and their schedules. No AWS account is needed.',
    '',
    style.bold('Commands:'),
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'amplify-gen2-offline <command> --help lists the options of a command.',
    '',
  ].join('\n');
}

const name = process.argv[2];
if (name === undefined || name === '--help' || name === '-h') {
  (name === undefined ? process.stderr : process.stdout).write(help());
  process.exit(name === undefined ? 2 : 0);
}
const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
if (!command) {
  process.stderr.write(`amplify-gen2-offline: unknown command '${name}' (see amplify-gen2-offline --help)\n`);
  process.exit(2);
}
await command.load();
