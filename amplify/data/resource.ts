import { a, defineData, type ClientSchema } from '@aws-amplify/backend';
import { messageProcessor } from '../functions/message-processor/resource';
import { presence } from '../functions/presence/resource';
import { presenceSweeper } from '../functions/presence-sweeper/resource';
import { postConfirmation } from '../functions/post-confirmation/resource';
import { CONVERSATION_EVENT_TYPES, EVENT_PUBLISHER_GROUP } from '../shared/events';
import { CONVERSATION_KINDS, MEMBER_ROLES, SYSTEM_ACTIONS } from '../shared/members';
import { MAX_DISPLAY_NAME_LENGTH, MESSAGE_TYPES, PRESENCE_STATUSES } from '../shared/limits';
import { logRetentionName } from '../config';
import { settings } from '../settings';

/**
 * The first step of every event subscription's pipeline (AppSync pipeline function on the NONE data source): refuses a
 * caller without a user-pool identity and stashes how the caller may be written in a participants list
 * (`ctx.stash.caller`), which the next step (conversationEvents.js, myConversationEvents.js) checks and filters on.
 */
const callerParticipantForms = () => a.handler.custom({ entry: './callerParticipantForms.js' });

/**
 * The membership check (AppSync pipeline function on the Conversation table, after callerParticipantForms): reads the
 * conversation `ctx.args.conversationId` strongly consistently and refuses the caller unless they are one of its
 * participants now (a missing conversation gets the same refusal). One definition for every pipeline that needs it.
 */
const conversationMember = () => a.handler.custom({ entry: './conversationMember.js', dataSource: a.ref('Conversation') });

/** The event subscriptions of one conversation: the membership check, then the delivery and invalidation filters. */
const conversationEventSubscription = () => [callerParticipantForms(), conversationMember(), a.handler.custom({ entry: './conversationEvents.js' })];

/**
 * The chat data model. Every rule here is explained in docs/data-model.md; the short version:
 * - Conversations are visible to their participants only (owner list `participants`); their messages, reactions and
 *   read points to the conversation's participants now (checked on every read; those items store no participants).
 * - Clients never write conversations or messages directly: they call createConversation, sendMessage, editMessage,
 *   removeMessage and sendTyping, handled by the message processor, which checks the caller and writes DynamoDB
 *   directly (one transaction per send); the Conversation and Message models have no mutations or subscriptions.
 *   Presence goes through heartbeat (the presence Lambda).
 * - Delivery is decided by the backend: every conversation event (message sent, edited, deleted, typing) is
 *   published by a Lambda through publishConversationEvent, which no signed-in user may call, with every field
 *   selected; the event subscriptions listen to it, check membership when subscribing and filter on the event's
 *   participants at delivery. What a client selects when it calls sendMessage or sendTyping changes nothing.
 * - Typing indicators are ephemeral: checked and published by the message processor, never stored.
 * - Reactions (toggleReaction) are one item each, written by the message processor, published as REACTION events.
 * - Message search (searchMessages) reads an inverted index the message processor keeps on send/edit/remove, only
 *   in the partitions of the caller's conversations.
 * - Read points (markRead) are one item per (conversation, user), moved only forward by the message processor,
 *   published as READ events; unread counts and "Seen" come from them.
 * - The user directory (UserProfile) is readable by every signed-in user; its owner may change the
 *   display name only; profiles are created by the post-confirmation trigger.
 */
const schema = a
  .schema({
    MessageType: a.enum([...MESSAGE_TYPES]),
    ConversationKind: a.enum([...CONVERSATION_KINDS]),
    MemberRole: a.enum([...MEMBER_ROLES]),
    SystemAction: a.enum([...SYSTEM_ACTIONS]),
    PresenceStatus: a.enum([...PRESENCE_STATUSES]),

    /**
     * A message's file (IMAGE and FILE messages), as the message processor measured it when it moved the upload into
     * the conversation's folder of the attachments bucket: `path` is the object key there
     * (`conversations/<conversationId>/<messageId>/<name>`), which no client credential may read; readers get
     * short-lived URLs from getAttachmentUrls. `width`/`height`: images only. docs/data-model.md.
     */
    Attachment: a.customType({
      path: a.string().required(),
      name: a.string().required(),
      size: a.integer().required(),
      contentType: a.string().required(),
      width: a.integer(),
      height: a.integer(),
    }),

    UserProfile: a
      .model({
        id: a.id().required(),
        // Every signed-in user downloads every profile: the length is checked on every write, not only at sign-up.
        displayName: a
          .string()
          .required()
          .validate((v) =>
            v
              .minLength(1, 'Validation: displayName must not be empty')
              .maxLength(MAX_DISPLAY_NAME_LENGTH, `Validation: displayName must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`),
          ),
        email: a.email().authorization((allow) => [allow.authenticated().to(['read'])]),
        owner: a.string().authorization((allow) => [allow.authenticated().to(['read'])]),
      })
      .authorization((allow) => [allow.authenticated().to(['read']), allow.owner().to(['read', 'update'])]),

    // Written only by the message processor (createConversation, and lastMessageAt/preview in the send transaction):
    // its model mutations and subscriptions are off, and list changes reach clients as conversation events.
    Conversation: a
      .model({
        name: a.string(),
        /** "<sub>::<username>" in join order; changed by owners (addMembers, removeMember) and leaveConversation. */
        participants: a.string().array(),
        /** DIRECT (two people, fixed) or GROUP; absent on older items (docs/data-model.md). */
        kind: a.ref('ConversationKind'),
        /** The owners' participant entries; the creator is the first. Absent on older items: the first participant. */
        owners: a.string().array(),
        /** Bumped by each membership change: the condition of the next one. */
        membershipVersion: a.integer(),
        createdAt: a.datetime(),
        lastMessageAt: a.datetime(),
        lastMessagePreview: a.string(),
      })
      .disableOperations(['mutations', 'subscriptions'])
      .authorization((allow) => [allow.ownersDefinedIn('participants').to(['read'])]),

    Message: a
      .model({
        conversationId: a.id().required(),
        content: a.string().required(),
        messageType: a.ref('MessageType').required(),
        sender: a.string().required(),
        /** Not written any more (reads check the conversation's participants now); older items may carry it. */
        participants: a.string().array(),
        clientMessageId: a.string(),
        createdAt: a.datetime().required(),
        editedAt: a.datetime(),
        /** SYSTEM messages (written by the message processor only): what changed, who did it, to whom (user ids). */
        systemAction: a.ref('SystemAction'),
        actor: a.string(),
        targets: a.string().array(),
        /** ROLE_CHANGED: the target's role now. */
        role: a.ref('MemberRole'),
        /** A thread reply: its root (a top-level, non-SYSTEM message of the same conversation). */
        threadRootId: a.id(),
        /** A thread root: its replies, and the newest reply's time and sender (written in each reply's transaction). */
        replyCount: a.integer(),
        lastReplyAt: a.datetime(),
        lastReplySender: a.string(),
        /** IMAGE and FILE messages: the file. */
        attachment: a.ref('Attachment'),
      })
      // History: listConversationMessages reads the first index (replies filtered out), listThreadReplies the second,
      // each after checking the caller is a participant now.
      .secondaryIndexes((index) => [index('conversationId').sortKeys(['createdAt']).queryField(null), index('threadRootId').sortKeys(['createdAt']).queryField(null)])
      // Written only by the message processor (one DynamoDB transaction per send); delivered as conversation events. No
      // model queries: they would authorize by the participants stored on each message at send time, so a member removed
      // later could still read them. Reads go through listConversationMessages (the conversation's participants now).
      .disableOperations(['mutations', 'subscriptions', 'queries'])
      .authorization((allow) => [allow.ownersDefinedIn('participants').to(['read'])]),

    // One reaction per (message, user, emoji), written only by the message processor (toggleReaction); read through
    // listConversationReactions by the conversation's participants now, on the index (conversationId,
    // messageCreatedAt). No model queries (see Message). docs/data-model.md.
    Reaction: a
      .model({
        messageId: a.id().required(),
        /** `<emoji>#<userId>`: one item per user and emoji; the reactions of one emoji are one key range. */
        reactionKey: a.string().required(),
        conversationId: a.id().required(),
        messageCreatedAt: a.datetime().required(),
        emoji: a.string().required(),
        userId: a.string().required(),
        participants: a.string().array(),
        createdAt: a.datetime(),
      })
      .identifier(['messageId', 'reactionKey'])
      .secondaryIndexes((index) => [index('conversationId').sortKeys(['messageCreatedAt']).queryField(null)])
      .disableOperations(['mutations', 'subscriptions', 'queries'])
      .authorization((allow) => [allow.ownersDefinedIn('participants').to(['read'])]),

    // Each member's read point in a conversation: one item per (conversation, user), written only by the message processor
    // (markRead), moved only forward. All read points of a conversation (listConversationReadPoints, participants now):
    // one query on the table's key; the caller's own in every conversation (listMyReadPoints, their unread counts at
    // sign-in): one query on the index (userId). No model queries (see Message). docs/data-model.md.
    ReadReceipt: a
      .model({
        conversationId: a.id().required(),
        userId: a.string().required(),
        /** The newest message read, and its createdAt: the read point (messages at or before it are read). */
        messageId: a.id().required(),
        readAt: a.datetime().required(),
        participants: a.string().array(),
        createdAt: a.datetime(),
      })
      .identifier(['conversationId', 'userId'])
      .secondaryIndexes((index) => [index('userId').queryField(null)])
      .disableOperations(['mutations', 'subscriptions', 'queries'])
      .authorization((allow) => [allow.ownersDefinedIn('participants').to(['read'])]),

    UserPresence: a
      .model({
        id: a.id().required(),
        owner: a.string(),
        status: a.ref('PresenceStatus').required(),
        lastSeen: a.datetime().required(),
      })
      .secondaryIndexes((index) => [index('status').sortKeys(['lastSeen']).queryField('listPresenceByStatus')])
      .authorization((allow) => [allow.authenticated().to(['read']), allow.owner().to(['read'])]),

    ConversationEventType: a.enum([...CONVERSATION_EVENT_TYPES]),

    /**
     * One event of a conversation, as the backend publishes it and every event subscription delivers it. Message
     * events carry the message (its fields, with `messageId` next to the model's `id`); TYPING carries `typing`.
     */
    ConversationEvent: a.customType({
      conversationId: a.id().required(),
      type: a.ref('ConversationEventType').required(),
      /** Who caused the event: the sender, editor or typist (Cognito sub). */
      userId: a.string().required(),
      /** When it happened (ISO 8601). */
      at: a.datetime().required(),
      messageId: a.id(),
      id: a.id(),
      sender: a.string(),
      content: a.string(),
      messageType: a.ref('MessageType'),
      clientMessageId: a.string(),
      createdAt: a.datetime(),
      editedAt: a.datetime(),
      typing: a.boolean(),
      /** CONVERSATION_CREATED: the conversation's name (its id is conversationId, its creation time `at`). */
      name: a.string(),
      /** REACTION (about `messageId`): the emoji, whether `userId` has it now, everyone who has it now and how many. */
      emoji: a.string(),
      reacted: a.boolean(),
      reactionUsers: a.string().required().array(),
      reactionCount: a.integer(),
      /** READ: `userId`'s read point moved to `messageId`, created at `readAt`. */
      readAt: a.datetime(),
      /** SYSTEM messages (MESSAGE_SENT) and MEMBERS_CHANGED: what changed, who did it, to whom (user ids). */
      systemAction: a.ref('SystemAction'),
      actor: a.string(),
      targets: a.string().array(),
      role: a.ref('MemberRole'),
      /** MEMBERS_CHANGED (and CONVERSATION_CREATED): the participants and owners now, and the kind. */
      members: a.string().array(),
      owners: a.string().array(),
      kind: a.ref('ConversationKind'),
      /** A thread reply's events: its root; and the root's reply count, last reply time and sender after the change. */
      threadRootId: a.id(),
      replyCount: a.integer(),
      lastReplyAt: a.datetime(),
      lastReplySender: a.string(),
      /** MESSAGE_SENT of an IMAGE or FILE message: the file. */
      attachment: a.ref('Attachment'),
      /** The participants the event is for ("<sub>::<username>"): the subscriptions deliver only to them. */
      participants: a.string().required().array().required(),
    }),

    // The backend's publish: IAM only (the Lambdas); the group rule is there because Amplify requires a rule, and
    // nobody is ever in that group (amplify/shared/events.ts). NONE data source: nothing is stored.
    publishConversationEvent: a
      .mutation()
      .arguments({ event: a.ref('ConversationEvent').required() })
      .returns(a.ref('ConversationEvent'))
      .authorization((allow) => [allow.group(EVENT_PUBLISHER_GROUP)])
      .handler(a.handler.custom({ entry: './publishConversationEvent.js' })),

    /** What invalidateMemberSubscriptions was given: whose subscriptions of which conversation end. */
    MemberSubscriptionsInvalidated: a.customType({
      conversationId: a.id().required(),
      userId: a.string().required(),
    }),

    // The backend ends a removed or leaving member's event subscriptions of one conversation (AppSync subscription
    // invalidation): IAM only, like publishConversationEvent (the group nobody is in); NONE data source.
    invalidateMemberSubscriptions: a
      .mutation()
      .arguments({ conversationId: a.id().required(), userId: a.string().required() })
      .returns(a.ref('MemberSubscriptionsInvalidated'))
      .authorization((allow) => [allow.group(EVENT_PUBLISHER_GROUP)])
      .handler(a.handler.custom({ entry: './invalidateMemberSubscriptions.js' })),

    // Every event of one conversation; participants only (checked when subscribing, filtered at delivery, and ended
    // by invalidateMemberSubscriptions when the subscriber leaves or is removed).
    onConversationEvent: a
      .subscription()
      .for(a.ref('publishConversationEvent'))
      .arguments({ conversationId: a.id().required() })
      .authorization((allow) => [allow.authenticated()])
      .handler(conversationEventSubscription()),

    // Every event of every conversation the caller is in (filtered at delivery on the event's participants).
    onMyConversations: a
      .subscription()
      .for(a.ref('publishConversationEvent'))
      .authorization((allow) => [allow.authenticated()])
      .handler([callerParticipantForms(), a.handler.custom({ entry: './myConversationEvents.js' })]),

    /** What createConversation takes: participants are user ids (Cognito sub) or "<sub>::<username>"; the caller is always one. */
    NewConversation: a.customType({
      name: a.string(),
      participants: a.string().required().array().required(),
      /** Absent: DIRECT for two people and no name, else GROUP. */
      kind: a.ref('ConversationKind'),
    }),

    /** What createConversation returns: `conversationId` next to the model's `id` (the same value), for clients that use either. */
    CreatedConversation: a.customType({
      conversationId: a.id().required(),
      id: a.id().required(),
      name: a.string(),
      participants: a.string().required().array().required(),
      kind: a.ref('ConversationKind').required(),
      /** The owners' entries ("<sub>::<username>"): the creator. */
      owners: a.string().required().array().required(),
      createdAt: a.datetime().required(),
      updatedAt: a.datetime().required(),
      lastMessageAt: a.datetime(),
      lastMessagePreview: a.string(),
    }),

    // The message processor stores the conversation and publishes CONVERSATION_CREATED to its participants.
    createConversation: a
      .mutation()
      .arguments({ input: a.ref('NewConversation').required() })
      .returns(a.ref('CreatedConversation'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    SendMessageInput: a.customType({
      conversationId: a.id().required(),
      content: a.string().required(),
      messageType: a.ref('MessageType'),
      clientMessageId: a.string(),
      /** A thread reply: the root's id (a top-level, non-SYSTEM message of the same conversation). */
      threadRootId: a.id(),
      /**
       * IMAGE and FILE messages (required for them, refused on TEXT; `content` is the caption, may be empty): the key
       * the caller uploaded the file to, `uploads/<their identity id>/<uuid>/<name>` (only their identity may write
       * there), and the name to show. Size, type and dimensions are measured by the backend. (Flat: an input type
       * nested in SendMessageInput does not pass Amplify's model introspection.)
       */
      uploadPath: a.string(),
      fileName: a.string(),
    }),

    /** What sendMessage returns: `messageId` and `userId` next to the model's field names (`id`, `sender`). */
    SentMessage: a.customType({
      messageId: a.id().required(),
      id: a.id().required(),
      conversationId: a.id().required(),
      userId: a.string().required(),
      sender: a.string().required(),
      content: a.string().required(),
      messageType: a.ref('MessageType').required(),
      clientMessageId: a.string(),
      createdAt: a.datetime().required(),
      threadRootId: a.id(),
      attachment: a.ref('Attachment'),
    }),

    sendMessage: a
      .mutation()
      .arguments({ input: a.ref('SendMessageInput').required() })
      .returns(a.ref('SentMessage'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    editMessage: a
      .mutation()
      .arguments({ messageId: a.id().required(), content: a.string().required() })
      .returns(a.ref('Message'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    removeMessage: a
      .mutation()
      .arguments({ messageId: a.id().required() })
      .returns(a.ref('Message'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    heartbeat: a
      .mutation()
      .arguments({ status: a.ref('PresenceStatus') })
      .returns(a.ref('UserPresence'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(presence)),

    // The MESSAGE_SENT events of one conversation (participants only).
    onMessageSent: a
      .subscription()
      .for(a.ref('publishConversationEvent'))
      .arguments({ conversationId: a.id().required() })
      .authorization((allow) => [allow.authenticated()])
      .handler(conversationEventSubscription()),

    /** What sendTyping returns: the typing indicator as published (never stored). */
    TypingEvent: a.customType({
      conversationId: a.id().required(),
      userId: a.string().required(),
      typing: a.boolean().required(),
      at: a.datetime().required(),
    }),

    // Participants only (the message processor checks the conversation and publishes a TYPING event); writes nothing.
    sendTyping: a
      .mutation()
      .arguments({ conversationId: a.id().required(), typing: a.boolean().required() })
      .returns(a.ref('TypingEvent'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    /** What toggleReaction returns: the caller's reaction now, and everyone's of that emoji on the message. */
    ReactionChange: a.customType({
      conversationId: a.id().required(),
      messageId: a.id().required(),
      emoji: a.string().required(),
      userId: a.string().required(),
      reacted: a.boolean().required(),
      users: a.string().required().array().required(),
      count: a.integer().required(),
      at: a.datetime().required(),
    }),

    // Participants who may read the message only (the message processor checks the conversation and the message, stores
    // or deletes the reaction, and publishes a REACTION event). `reacted`: the state wanted; absent, a toggle.
    toggleReaction: a
      .mutation()
      .arguments({ conversationId: a.id().required(), messageId: a.id().required(), emoji: a.string().required(), reacted: a.boolean() })
      .returns(a.ref('ReactionChange'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    /** What markRead returns: the caller's read point as stored now, and whether this call moved it. */
    ReadPoint: a.customType({
      conversationId: a.id().required(),
      userId: a.string().required(),
      messageId: a.id().required(),
      readAt: a.datetime().required(),
      moved: a.boolean().required(),
    }),

    // Participants only (the message processor checks the conversation and the message, moves the caller's read point
    // forward with a conditional write, and publishes a READ event when it moved).
    markRead: a
      .mutation()
      .arguments({ conversationId: a.id().required(), messageId: a.id().required() })
      .returns(a.ref('ReadPoint'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    /** A searchMessages hit: the message's conversation, id, time and sender, a snippet, and the query's words. */
    SearchHit: a.customType({
      conversationId: a.id().required(),
      conversationName: a.string(),
      messageId: a.id().required(),
      createdAt: a.datetime().required(),
      sender: a.string().required(),
      snippet: a.string().required(),
      terms: a.string().required().array().required(),
    }),

    SearchPage: a.customType({
      items: a.ref('SearchHit').required().array().required(),
      nextToken: a.string(),
    }),

    // Messages holding every word of `query` in the named conversations the caller is a participant of now (each is
    // checked; the next pages in `nextToken`'s), newest first. The message processor reads the MessageSearchIndex table.
    searchMessages: a
      .query()
      .arguments({ query: a.string().required(), conversationIds: a.id().required().array(), limit: a.integer(), nextToken: a.string() })
      .returns(a.ref('SearchPage'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    /**
     * A message file's URLs: presigned S3 GETs signed by the message processor, valid until `expiresAt`. `url` shows
     * the file (inline for images, a download for other files); `downloadUrl` always downloads it under its name.
     */
    AttachmentUrl: a.customType({
      messageId: a.id().required(),
      url: a.string().required(),
      downloadUrl: a.string().required(),
      expiresAt: a.datetime().required(),
    }),

    // Participants now only (the message processor checks membership strongly consistently, then signs one URL pair
    // per message of that conversation that has a file; others, removed ones and messages without one are left out).
    getAttachmentUrls: a
      .query()
      .arguments({ conversationId: a.id().required(), messageIds: a.id().required().array().required() })
      .returns(a.ref('AttachmentUrl').required().array().required())
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    /**
     * A message of a conversation's history as listConversationMessages returns it: the Message item's fields but the
     * participants of its send time (who could read it then is nobody's business now: readers are today's members).
     */
    HistoryMessage: a.customType({
      id: a.id().required(),
      conversationId: a.id().required(),
      content: a.string().required(),
      messageType: a.ref('MessageType').required(),
      sender: a.string().required(),
      clientMessageId: a.string(),
      createdAt: a.datetime().required(),
      editedAt: a.datetime(),
      updatedAt: a.datetime(),
      systemAction: a.ref('SystemAction'),
      actor: a.string(),
      targets: a.string().array(),
      role: a.ref('MemberRole'),
      threadRootId: a.id(),
      replyCount: a.integer(),
      lastReplyAt: a.datetime(),
      lastReplySender: a.string(),
      attachment: a.ref('Attachment'),
    }),
    /** A reaction as listConversationReactions returns it (the Reaction item without its participants). */
    ConversationReaction: a.customType({
      messageId: a.id().required(),
      reactionKey: a.string().required(),
      conversationId: a.id().required(),
      messageCreatedAt: a.datetime().required(),
      emoji: a.string().required(),
      userId: a.string().required(),
      createdAt: a.datetime(),
    }),
    /** A read point as listConversationReadPoints and listMyReadPoints return it (the ReadReceipt item without its participants). */
    ConversationReadPoint: a.customType({
      conversationId: a.id().required(),
      userId: a.string().required(),
      messageId: a.id().required(),
      readAt: a.datetime().required(),
      updatedAt: a.datetime(),
    }),
    /** A page of a conversation's history, of its reactions, of read points: the items and the next page's token. */
    MessagePage: a.customType({ items: a.ref('HistoryMessage').required().array().required(), nextToken: a.string() }),
    ReactionPage: a.customType({ items: a.ref('ConversationReaction').required().array().required(), nextToken: a.string() }),
    ReadPointPage: a.customType({ items: a.ref('ConversationReadPoint').required().array().required(), nextToken: a.string() }),
    HistoryOrder: a.enum(['ASC', 'DESC']),

    // A page of one conversation's messages, for its participants now (the membership check, then the index query).
    // `from`: created at or after; `after`: strictly after; oldest first unless sortDirection is DESC.
    listConversationMessages: a
      .query()
      .arguments({
        conversationId: a.id().required(),
        from: a.datetime(),
        after: a.datetime(),
        sortDirection: a.ref('HistoryOrder'),
        limit: a.integer(),
        nextToken: a.string(),
      })
      .returns(a.ref('MessagePage'))
      .authorization((allow) => [allow.authenticated()])
      .handler([callerParticipantForms(), conversationMember(), a.handler.custom({ entry: './listConversationMessages.js', dataSource: a.ref('Message') })]),

    // A page of one thread's replies (oldest first unless DESC), for the conversation's participants now: the membership
    // check, then the index (threadRootId, createdAt), filtered on the conversation (a root of another conversation
    // yields nothing).
    listThreadReplies: a
      .query()
      .arguments({
        conversationId: a.id().required(),
        threadRootId: a.id().required(),
        sortDirection: a.ref('HistoryOrder'),
        limit: a.integer(),
        nextToken: a.string(),
      })
      .returns(a.ref('MessagePage'))
      .authorization((allow) => [allow.authenticated()])
      .handler([callerParticipantForms(), conversationMember(), a.handler.custom({ entry: './listThreadReplies.js', dataSource: a.ref('Message') })]),

    // The reactions of one conversation's messages created from `from` to `to` (inclusive), for its participants now.
    listConversationReactions: a
      .query()
      .arguments({ conversationId: a.id().required(), from: a.datetime(), to: a.datetime(), limit: a.integer(), nextToken: a.string() })
      .returns(a.ref('ReactionPage'))
      .authorization((allow) => [allow.authenticated()])
      .handler([callerParticipantForms(), conversationMember(), a.handler.custom({ entry: './listConversationReactions.js', dataSource: a.ref('Reaction') })]),

    // Every member's read point in one conversation, for its participants now.
    listConversationReadPoints: a
      .query()
      .arguments({ conversationId: a.id().required(), limit: a.integer(), nextToken: a.string() })
      .returns(a.ref('ReadPointPage'))
      .authorization((allow) => [allow.authenticated()])
      .handler([callerParticipantForms(), conversationMember(), a.handler.custom({ entry: './listConversationReadPoints.js', dataSource: a.ref('ReadReceipt') })]),

    // The caller's own read points in every conversation (by their sub: nobody reads another's).
    listMyReadPoints: a
      .query()
      .arguments({ limit: a.integer(), nextToken: a.string() })
      .returns(a.ref('ReadPointPage'))
      .authorization((allow) => [allow.authenticated()])
      .handler([callerParticipantForms(), a.handler.custom({ entry: './listMyReadPoints.js', dataSource: a.ref('ReadReceipt') })]),

    // The TYPING events of one conversation (participants only).
    onTyping: a
      .subscription()
      .for(a.ref('publishConversationEvent'))
      .arguments({ conversationId: a.id().required() })
      .authorization((allow) => [allow.authenticated()])
      .handler(conversationEventSubscription()),

    /** What every membership operation returns: the conversation's members after it ("<sub>::<username>"). */
    ConversationMembers: a.customType({
      conversationId: a.id().required(),
      kind: a.ref('ConversationKind').required(),
      participants: a.string().required().array().required(),
      owners: a.string().required().array().required(),
      /** The SYSTEM messages the change wrote (none when nothing changed). */
      systemMessageIds: a.id().required().array().required(),
      at: a.datetime().required(),
    }),

    // Groups only, owners only: adds people (already members are skipped), within the participant bounds.
    addMembers: a
      .mutation()
      .arguments({ conversationId: a.id().required(), userIds: a.string().required().array().required() })
      .returns(a.ref('ConversationMembers'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    // Groups only, owners only: removes a member (their event subscriptions of the conversation end at once).
    removeMember: a
      .mutation()
      .arguments({ conversationId: a.id().required(), userId: a.string().required() })
      .returns(a.ref('ConversationMembers'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    // Groups only, owners only: makes a member an owner or an owner a member (a group keeps at least one owner).
    setMemberRole: a
      .mutation()
      .arguments({ conversationId: a.id().required(), userId: a.string().required(), role: a.ref('MemberRole').required() })
      .returns(a.ref('ConversationMembers'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),

    // Groups only, any member: the caller leaves (the last owner's leaving makes the longest-standing member owner).
    leaveConversation: a
      .mutation()
      .arguments({ conversationId: a.id().required() })
      .returns(a.ref('ConversationMembers'))
      .authorization((allow) => [allow.authenticated()])
      .handler(a.handler.function(messageProcessor)),
  })
  .authorization((allow) => [
    allow.resource(messageProcessor),
    allow.resource(presence),
    allow.resource(presenceSweeper),
    allow.resource(postConfirmation),
  ]);

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'userPool',
  },
  // The field log level is set per deployment kind in backend.ts.
  logging: {
    fieldLogLevel: 'error',
    retention: logRetentionName(settings.logRetentionDays),
    excludeVerboseContent: true,
  },
});
