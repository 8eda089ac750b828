/**
 * The offline engine on a second, different Gen 2 backend (tests/fixtures/todo-backend): the Amplify quick-start's
 * Todo (public API key + owner, API key mode next to the user pool) and a Project shared by an owner list
 * (`allow.ownersDefinedIn('members')`), with Amplify's generated model mutations and subscriptions, which the chat's
 * Conversation and Message no longer have. The fixture is a project of its own (its package.json names the backend
 * namespace) and is synthesized once, here, into a temporary directory, by the engine package's command line run in
 * its folder, as any Gen 2 project would run it (`npx amplify-gen2-offline synth`).
 *
 * Covered: the loader's description; API-key create/list of Todo; Todo's owner rule for user-pool callers; and on
 * Project, over HTTPS and the real-time socket: (a) the generated owner filter of the model subscriptions and a
 * client `filter` ANDed with it, (b) create rules on the owner list, (c) update rules on the owner list.
 *
 * The pool signs in with e-mail, so a user's Cognito username is a generated UUID equal to its sub: the entry forms
 * `<sub>` and `<username>` are the same string here, and `<sub>::<username>` is the form Amplify inserts.
 *
 * Synchronisation is by responses and frames only: a non-delivery is proved by a later event on the same socket.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataDirectory, scanModel, startTestSandbox, type TestSandbox } from '../offline/helpers';
import {
  UNAUTHORIZED_BODY,
  apiHost,
  frameErrors,
  graphql,
  newId,
  postBody,
  RealtimeSocket,
  signInUser,
  signUpUser,
  userHeader,
  type GraphQLAnswer,
  type SignedInUser,
} from '../security/support';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE_PROJECT = join(ROOT, 'tests', 'fixtures', 'todo-backend');
const ENGINE_BIN = join(ROOT, 'node_modules', '.bin', 'amplify-gen2-offline');
const PROJECT_OUTPUTS = join(ROOT, 'amplify_outputs.json');

let work: string;
let env: TestSandbox;
let outputsBefore: { mtimeMs: number; size: number } | undefined;
let synthSummary: string;
let rootStackNames: string[];
let ann: SignedInUser;
let bob: SignedInUser;
let cat: SignedInUser;
let apiKey: string;

function statOf(path: string): { mtimeMs: number; size: number } | undefined {
  try {
    const s = statSync(path);
    return { mtimeMs: s.mtimeMs, size: s.size };
  } catch {
    return undefined;
  }
}

/** The Cognito username (the access token's `username` claim), which the generated rules compare with. */
function usernameOf(user: SignedInUser): string {
  const claims = JSON.parse(Buffer.from(user.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { username: string };
  return claims.username;
}

/** The form Amplify stores when it fills an owner field: `<sub>::<username>`. */
const ownerEntry = (user: SignedInUser): string => `${user.sub}::${usernameOf(user)}`;

/** The stored item of `model` with `id`, as DynamoDB holds it (owner fields unparsed). */
async function stored(model: 'Todo' | 'Project', id: string): Promise<Record<string, unknown> | undefined> {
  return (await scanModel(env, model)).find((item) => item['id'] === id);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'todo-backend-'));
  outputsBefore = statOf(PROJECT_OUTPUTS);
  const cdkOut = join(work, 'cdk.out');
  const { stdout } = await promisify(execFile)(process.execPath, [ENGINE_BIN, 'synth', '--output', cdkOut, '--quiet'], { cwd: FIXTURE_PROJECT });
  synthSummary = stdout;
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string }> };
  rootStackNames = Object.entries(manifest.artifacts).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack').map(([name]) => name);
  env = await startTestSandbox(newDataDirectory(), cdkOut);
  const key = env.sandbox.description.api.apiKeys[0];
  if (!key) throw new Error('the fixture has no API key');
  apiKey = key;
  for (const email of ['ann.todo@example.com', 'bob.todo@example.com', 'cat.todo@example.com']) await signUpUser(env, email);
  [ann, bob, cat] = await Promise.all(['ann.todo@example.com', 'bob.todo@example.com', 'cat.todo@example.com'].map((email) => signInUser(env, email))) as [SignedInUser, SignedInUser, SignedInUser];
});

afterAll(async () => {
  await env?.sandbox.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (env) rmSync(env.dataDirectory, { recursive: true, force: true });
});

/** GraphQL with an API key (x-api-key, no Authorization), as Amplify sends it for authMode 'apiKey'. */
const withApiKey = (query: string, variables?: Record<string, unknown>, key = apiKey): Promise<GraphQLAnswer> =>
  postBody(env, undefined, JSON.stringify({ query, variables }), { 'x-api-key': key });

/** The field error AppSync answers for `$util.unauthorized()` (with `data: {<field>: null}`). */
function refused(answer: GraphQLAnswer, field: string, type: 'Query' | 'Mutation'): void {
  expect(answer.status).toBe(200);
  expect(answer.json.data).toEqual({ [field]: null });
  expect(answer.json.errors).toEqual([
    {
      path: [field],
      data: null,
      errorType: 'Unauthorized',
      errorInfo: null,
      locations: [{ line: 1, column: expect.any(Number), sourceName: null }],
      message: `Not Authorized to access ${field} on type ${type}`,
    },
  ]);
}

function dataOf<T>(answer: GraphQLAnswer, field: string): T {
  expect(answer.json.errors, answer.text).toBeUndefined();
  expect(answer.status).toBe(200);
  return answer.json.data?.[field] as T;
}

const TODO_FIELDS = 'id content isDone owner';
const CREATE_TODO = `mutation ($input: CreateTodoInput!) { createTodo(input: $input) { ${TODO_FIELDS} } }`;
const UPDATE_TODO = `mutation ($input: UpdateTodoInput!) { updateTodo(input: $input) { ${TODO_FIELDS} } }`;
const DELETE_TODO = `mutation ($input: DeleteTodoInput!) { deleteTodo(input: $input) { ${TODO_FIELDS} } }`;
const LIST_TODOS = `query { listTodos(limit: 1000) { items { ${TODO_FIELDS} } nextToken } }`;
type Todo = { id: string; content: string | null; isDone: boolean | null; owner: string | null };

const PROJECT_FIELDS = 'id name members';
const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { ${PROJECT_FIELDS} } }`;
const UPDATE_PROJECT = `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { ${PROJECT_FIELDS} } }`;
const GET_PROJECT = `query ($id: ID!) { getProject(id: $id) { ${PROJECT_FIELDS} } }`;
const ON_CREATE_PROJECT = `subscription ($filter: ModelSubscriptionProjectFilterInput) { onCreateProject(filter: $filter) { ${PROJECT_FIELDS} } }`;
const ON_UPDATE_PROJECT = `subscription ($filter: ModelSubscriptionProjectFilterInput) { onUpdateProject(filter: $filter) { ${PROJECT_FIELDS} } }`;
type Project = { id: string; name: string | null; members: string[] | null };

async function createProject(user: SignedInUser, input: Record<string, unknown>): Promise<Project> {
  return dataOf<Project>(await graphql(env, user.accessToken, CREATE_PROJECT, { input }), 'createProject');
}

describe('the fixture backend', () => {
  it('is synthesized in its own folder by amplify-gen2-offline synth, named after its package.json, touching nothing of the chat', () => {
    expect(synthSummary).toMatch(/^synthesized sandbox "[A-Za-z0-9-]+" in \d+\.\d s: \d+ templates \(\d+ nested\) in /);
    expect(rootStackNames).toHaveLength(1);
    // ampx's stack name: amplify-<namespace without dashes>-<name>-sandbox-<hash>.
    expect(rootStackNames[0]).toMatch(/^amplify-todobackend-[A-Za-z0-9]+-sandbox-/);
    expect(statOf(PROJECT_OUTPUTS)).toEqual(outputsBefore);
  });

  it('is read by the loader: the Todo and Project tables, user pools by default and API keys', () => {
    const { description } = env.sandbox;
    expect(description.tables.map((t) => t.model).sort()).toEqual(['Project', 'Todo']);
    expect(description.api.defaultAuthMode).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(description.api.additionalAuthModes).toContain('API_KEY');
    expect(description.api.apiKeys).toHaveLength(1);
    expect(apiKey).toMatch(/^da2-[a-z0-9]{26}$/);
    expect(description.lambdas.filter((l) => l.appFunction)).toEqual([]);
    expect(env.outputs.data['authorization_types']).toContain('API_KEY');
    expect(env.outputs.data['default_authorization_type']).toBe('AMAZON_COGNITO_USER_POOLS');
    // Every resource is emulated; the one divergence (the model tables' streams, which nothing of this backend
    // reads) is named in the log with the tables it concerns.
    expect(description.unsupported).toEqual([]);
    expect(env.log.filter((line) => line.includes('not emulated'))).toEqual([
      '[sandbox] not emulated: stream NEW_AND_OLD_IMAGES is recorded but not emitted (dynalite has no streams). [Project, Todo]',
    ]);
  });

  // ampx writes the API key into amplify_outputs.json (data.api_key) when the API has an API key mode, so a client
  // configured from the offline outputs can use authMode 'apiKey' as well.
  it('writes the API key into the outputs (data.api_key), as ampx does', () => {
    expect(env.outputs.data['api_key']).toBe(apiKey);
  });
});

describe('Todo: public API key and owner', () => {
  it('an API key creates and lists todos (no owner is set)', async () => {
    const created = dataOf<Todo>(await withApiKey(CREATE_TODO, { input: { content: 'buy milk', isDone: false } }), 'createTodo');
    expect(created).toEqual({ id: expect.any(String), content: 'buy milk', isDone: false, owner: null });
    const listed = dataOf<{ items: Todo[] }>(await withApiKey(LIST_TODOS), 'listTodos');
    expect(listed.items).toContainEqual(created);
  });

  it('an unknown API key is refused for the whole request', async () => {
    const answer = await withApiKey(LIST_TODOS, undefined, 'da2-notakeyofthisapi000000000');
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual(UNAUTHORIZED_BODY);
  });

  it('an API key may not touch Project (no public rule)', async () => {
    refused(await withApiKey(`query { listProjects { items { id } } }`), 'listProjects', 'Query');
    refused(await withApiKey(CREATE_PROJECT, { input: { name: 'by key' } }), 'createProject', 'Mutation');
  });

  it('a user owns the todos they create; another user can neither update nor delete them', async () => {
    const mine = dataOf<Todo>(await graphql(env, ann.accessToken, CREATE_TODO, { input: { content: 'ann only', isDone: false } }), 'createTodo');
    // Stored as <sub>::<username>; the generated owner field resolver answers the part after the last '::'.
    expect(mine.owner).toBe(usernameOf(ann));
    expect(await stored('Todo', mine.id)).toMatchObject({ owner: ownerEntry(ann) });

    const update = await graphql(env, bob.accessToken, UPDATE_TODO, { input: { id: mine.id, isDone: true } });
    refused(update, 'updateTodo', 'Mutation');
    const remove = await graphql(env, bob.accessToken, DELETE_TODO, { input: { id: mine.id } });
    refused(remove, 'deleteTodo', 'Mutation');

    // The owner can; the item is as the owner left it.
    const updated = dataOf<Todo>(await graphql(env, ann.accessToken, UPDATE_TODO, { input: { id: mine.id, isDone: true } }), 'updateTodo');
    expect(updated).toEqual({ ...mine, isDone: true });
    expect(await stored('Todo', mine.id)).toMatchObject({ content: 'ann only', isDone: true, owner: ownerEntry(ann) });

    // Bob's list holds only his own todos (none); the API key sees every todo.
    expect(dataOf<{ items: Todo[] }>(await graphql(env, bob.accessToken, LIST_TODOS), 'listTodos').items).toEqual([]);
    expect(dataOf<{ items: Todo[] }>(await withApiKey(LIST_TODOS), 'listTodos').items.map((t) => t.id)).toContain(mine.id);
  });

  it('onCreateTodo: an API key subscriber receives every todo, a user only their own', async () => {
    const keyHeader = { 'x-api-key': apiKey, host: apiHost(env) };
    const keySocket = await RealtimeSocket.open(env, keyHeader);
    const userSocket = await RealtimeSocket.connect(env, bob.accessToken);
    try {
      expect((await keySocket.init()).type).toBe('connection_ack');
      const [keyId, userId] = [newId(), newId()];
      const onCreateTodo = `subscription { onCreateTodo { ${TODO_FIELDS} } }`;
      expect((await keySocket.start(keyId, onCreateTodo, {}, keyHeader)).type).toBe('start_ack');
      expect((await userSocket.start(userId, onCreateTodo, {}, userHeader(env, bob.accessToken))).type).toBe('start_ack');

      const annTodo = dataOf<Todo>(await graphql(env, ann.accessToken, CREATE_TODO, { input: { content: 'ann subscribed', isDone: false } }), 'createTodo');
      const bobTodo = dataOf<Todo>(await graphql(env, bob.accessToken, CREATE_TODO, { input: { content: 'bob subscribed', isDone: false } }), 'createTodo');

      await keySocket.waitForData(keyId, (f) => JSON.stringify(f.payload).includes(bobTodo.id));
      expect(keySocket.framesOf(keyId).map((f) => f.payload)).toEqual([{ data: { onCreateTodo: annTodo } }, { data: { onCreateTodo: bobTodo } }]);
      // Bob's own todo is the fence: ann's was created first and would have come first.
      await userSocket.waitForData(userId, (f) => JSON.stringify(f.payload).includes(bobTodo.id));
      expect(userSocket.framesOf(userId).map((f) => f.payload)).toEqual([{ data: { onCreateTodo: bobTodo } }]);
    } finally {
      keySocket.close();
      userSocket.close();
    }
  });
});

describe('Project: owner list (ownersDefinedIn members)', () => {
  it('(b) a create without members lists the caller as <sub>::<username>', async () => {
    const project = await createProject(ann, { name: 'no members given' });
    expect(await stored('Project', project.id)).toMatchObject({ members: [ownerEntry(ann)] });
    // Read back through the generated field resolver: each entry's part after the last '::'.
    expect(project.members).toEqual([usernameOf(ann)]);
  });

  it('(b) the caller is accepted in each entry form: <sub>::<username>, <sub>, <username>', async () => {
    // An e-mail pool's username is a generated UUID equal to the sub: two of the three forms are one string here.
    expect(usernameOf(ann)).toBe(ann.sub);
    for (const entry of [ownerEntry(ann), ann.sub, usernameOf(ann)]) {
      const project = await createProject(ann, { name: `form ${entry}`, members: [bob.sub, entry] });
      expect(await stored('Project', project.id)).toMatchObject({ members: [bob.sub, entry] });
      expect(project.members).toEqual([bob.sub, usernameOf(ann)]);
    }
  });

  it('(b) a create whose members do not include the caller is refused, and nothing is stored', async () => {
    const name = `foreign ${newId()}`;
    refused(await graphql(env, ann.accessToken, CREATE_PROJECT, { input: { name, members: [ownerEntry(bob), cat.sub] } }), 'createProject', 'Mutation');
    refused(await graphql(env, ann.accessToken, CREATE_PROJECT, { input: { name, members: [] } }), 'createProject', 'Mutation');
    expect((await scanModel(env, 'Project')).filter((p) => p['name'] === name)).toEqual([]);
  });

  it('(c) a listed member may update a field; a non-member is refused and changes nothing', async () => {
    const project = await createProject(ann, { name: 'shared', members: [ownerEntry(ann), bob.sub] });

    const byMember = dataOf<Project>(await graphql(env, bob.accessToken, UPDATE_PROJECT, { input: { id: project.id, name: 'renamed by bob' } }), 'updateProject');
    expect(byMember).toEqual({ ...project, name: 'renamed by bob' });

    refused(await graphql(env, cat.accessToken, UPDATE_PROJECT, { input: { id: project.id, name: 'renamed by cat' } }), 'updateProject', 'Mutation');
    // Nor can the non-member add themself to the list.
    refused(await graphql(env, cat.accessToken, UPDATE_PROJECT, { input: { id: project.id, members: [cat.sub] } }), 'updateProject', 'Mutation');

    expect(dataOf<Project>(await graphql(env, ann.accessToken, GET_PROJECT, { id: project.id }), 'getProject')).toEqual(byMember);
    refused(await graphql(env, cat.accessToken, GET_PROJECT, { id: project.id }), 'getProject', 'Query');
    expect(await stored('Project', project.id)).toMatchObject({ name: 'renamed by bob', members: [ownerEntry(ann), bob.sub] });
  });

  describe('(a) model subscriptions', () => {
    let socket: RealtimeSocket;

    beforeAll(async () => {
      socket = await RealtimeSocket.connect(env, bob.accessToken);
    });

    afterAll(() => socket?.close());

    it('deliver to a subscriber only the items that list them', async () => {
      const id = newId();
      expect((await socket.start(id, ON_CREATE_PROJECT, {}, userHeader(env, bob.accessToken))).type).toBe('start_ack');

      const notListed = await createProject(ann, { name: 'ann alone' });
      const foreign = await createProject(cat, { name: 'cat and ann', members: [cat.sub, ownerEntry(ann)] });
      // Amplify's runtime filter is `members contains <username>` on the mutation's answer, whose members the field
      // resolver has reduced to the part after '::': an entry <sub>::<username> matches as well as <username>.
      const listedAsOwnerEntry = await createProject(ann, { name: 'bob as sub::username', members: [ownerEntry(ann), ownerEntry(bob)] });
      const listed = await createProject(ann, { name: 'bob listed', members: [ownerEntry(ann), usernameOf(bob)] });

      await socket.waitForData(id, (f) => JSON.stringify(f.payload).includes(listed.id));
      // The fence: anything wrongly delivered was created earlier, so it would have come first on this socket.
      expect(socket.framesOf(id).map((f) => f.payload)).toEqual([{ data: { onCreateProject: listedAsOwnerEntry } }, { data: { onCreateProject: listed } }]);
      expect(listedAsOwnerEntry.members).toEqual([usernameOf(ann), usernameOf(bob)]);
      expect(new Set([notListed.id, foreign.id, listedAsOwnerEntry.id, listed.id]).size).toBe(4);
      socket.send({ id, type: 'stop' });
    });

    it("AND a client filter with the owner filter: a filter cannot widen what is delivered", async () => {
      const id = newId();
      const tag = `alpha ${newId()}`;
      // Asking for ann's projects by name and by membership: still only those that list bob.
      const filter = { or: [{ name: { eq: tag } }, { members: { contains: usernameOf(ann) } }] };
      expect((await socket.start(id, ON_CREATE_PROJECT, { filter }, userHeader(env, bob.accessToken))).type).toBe('start_ack');

      await createProject(ann, { name: tag }); // matches the client filter only
      const listedOtherName = await createProject(bob, { name: 'bob other name', members: [usernameOf(bob)] }); // owner filter only
      const both = await createProject(ann, { name: tag, members: [usernameOf(ann), usernameOf(bob)] });

      await socket.waitForData(id, (f) => JSON.stringify(f.payload).includes(both.id));
      expect(socket.framesOf(id).map((f) => f.payload)).toEqual([{ data: { onCreateProject: both } }]);
      expect(listedOtherName.id).not.toBe(both.id);
      socket.send({ id, type: 'stop' });
    });

    it('deliver updates by the owner filter as well', async () => {
      const id = newId();
      expect((await socket.start(id, ON_UPDATE_PROJECT, {}, userHeader(env, bob.accessToken))).type).toBe('start_ack');
      const annOnly = await createProject(ann, { name: 'ann only', members: [usernameOf(ann)] });
      const shared = await createProject(ann, { name: 'shared', members: [usernameOf(ann), usernameOf(bob)] });

      dataOf(await graphql(env, ann.accessToken, UPDATE_PROJECT, { input: { id: annOnly.id, name: 'ann only, renamed' } }), 'updateProject');
      const renamed = dataOf<Project>(await graphql(env, ann.accessToken, UPDATE_PROJECT, { input: { id: shared.id, name: 'shared, renamed' } }), 'updateProject');

      await socket.waitForData(id, (f) => JSON.stringify(f.payload).includes(renamed.id));
      expect(socket.framesOf(id).map((f) => f.payload)).toEqual([{ data: { onUpdateProject: renamed } }]);
      socket.send({ id, type: 'stop' });
    });

    it('refuse an API key subscriber (Project has no public rule)', async () => {
      const keySocket = await RealtimeSocket.open(env, { 'x-api-key': apiKey, host: apiHost(env) });
      try {
        expect((await keySocket.init()).type).toBe('connection_ack');
        const answer = await keySocket.start(newId(), ON_CREATE_PROJECT, {}, { 'x-api-key': apiKey, host: apiHost(env) });
        expect(answer.type).toBe('error');
        expect(frameErrors(answer)).toEqual([{ errorType: 'Unauthorized', message: 'Not Authorized to access onCreateProject on type Subscription' }]);
      } finally {
        keySocket.close();
      }
    });
  });
});
