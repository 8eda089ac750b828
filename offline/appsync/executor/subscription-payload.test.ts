import { describe, expect, it } from 'vitest';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql16';
import { buildAppSyncSchema } from '../schema/build-schema';
import { projectForSubscriber, publishedPayload, type Fragments } from './subscription-payload';

// A small schema of its own, shaped like a model with a nested type (the chat's Message has no model mutations or
// subscriptions any more): projection does not depend on the app.
const schema = buildAppSyncSchema(`
  type Message { id: ID! conversationId: ID! content: String! participants: [String] author: Author createdAt: AWSDateTime! }
  type Author { id: ID! name: String }
  type Query { x: Int }
  type Mutation { createMessage: Message }
  type Subscription { onCreateMessage: Message @aws_subscribe(mutations: ["createMessage"]) }
`);

function operation(source: string) {
  const document = parse(source);
  const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments: Fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const root = op.selectionSet.selections[0] as { selectionSet?: import('graphql16').SelectionSetNode };
  return { selectionSet: root.selectionSet, fragments };
}

const response = {
  theId: 'm1',
  conversationId: 'c1',
  content: 'hi',
  author: { id: 'u1', name: 'Ann' },
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('publishedPayload', () => {
  it('keys the mutation response by field names and keeps only what the mutation selected', () => {
    const mutation = operation('mutation { createMessage { theId: id conversationId content author { id } createdAt } }');
    expect(publishedPayload(response, mutation.selectionSet, mutation.fragments, {})).toEqual({
      id: 'm1',
      conversationId: 'c1',
      content: 'hi',
      author: { id: 'u1' },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('projectForSubscriber', () => {
  const published = { id: 'm1', conversationId: 'c1', content: 'hi', author: { id: 'u1' } };
  const type = schema.getSubscriptionType()!.getFields()['onCreateMessage']!.type;

  it('returns the subscriber\'s selection with its aliases; fields the mutation did not select are null', () => {
    const sub = operation('subscription { onCreateMessage { id text: content participants author { id name } __typename } }');
    expect(projectForSubscriber(schema, published, type, sub.selectionSet, sub.fragments, {})).toEqual({
      id: 'm1',
      text: 'hi',
      participants: null,
      author: { id: 'u1', name: null },
      __typename: 'Message',
    });
  });

  it('applies fragments and @include/@skip', () => {
    const sub = operation(`
      subscription S($withAuthor: Boolean!) { onCreateMessage { ...F author @include(if: $withAuthor) { id } content @skip(if: true) } }
      fragment F on Message { id conversationId }
    `);
    expect(projectForSubscriber(schema, published, type, sub.selectionSet, sub.fragments, { withAuthor: false })).toEqual({
      id: 'm1',
      conversationId: 'c1',
    });
  });
});
