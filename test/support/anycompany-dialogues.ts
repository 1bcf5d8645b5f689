/**
 * The five example conversations of the AWS AnyCompany chatbot sample, in its words (its README's walk-through
 * and "Example Conversations"), with the answer each turn must reach from the seeded orders data.
 */

export interface DialogueTurn {
  say: string;
  /** The user-facing reply (the text inside `<reply>` under the sample's system prompt). */
  reply: string;
  /** The tools the turn calls, in order. */
  tools: string[];
  /** The turn runs a destructive tool, which waits for approval. */
  approval?: boolean;
}

export interface Dialogue {
  name: string;
  turns: DialogueTurn[];
}

const HELP_WITH_ORDER: DialogueTurn = {
  say: 'I need help with an order',
  reply: 'I can help with that. What is your order number?',
  tools: [],
};
const FORGOTTEN_ID =
  'No problem, I can find your orders through your account. What is your email address, phone number or username?';

export const DIALOGUES: Dialogue[] = [
  {
    name: 'walk-through: order 14826, then cancel it (Shipped: declined)',
    turns: [
      HELP_WITH_ORDER,
      {
        say: 'my order is 14826',
        reply: 'Order 14826 for Márcia Oliveria (678902): 1 × Backpack at $59.99, status Shipped.',
        tools: ['get_order_by_id', 'get_user'],
      },
      {
        say: "I'd like to cancel this order",
        reply: "Order 14826 is Shipped, so it can't be cancelled.",
        tools: ['get_order_by_id'],
      },
    ],
  },
  {
    name: 'order lookup: 32057',
    turns: [
      HELP_WITH_ORDER,
      {
        say: 'My order is 32057',
        reply: 'Order 32057 for Terry Whitlock (012347): 1 × Backpack at $59.99, status Shipped.',
        tools: ['get_order_by_id', 'get_user'],
      },
    ],
  },
  {
    name: 'cancel order: 37129, then "Please cancel my order" (Processing: cancelled after approval)',
    turns: [
      HELP_WITH_ORDER,
      {
        say: 'My order is 37129',
        reply: 'Order 37129 for Mary Major (901235): 2 × Sunglasses at $49.99, status Processing.',
        tools: ['get_order_by_id', 'get_user'],
      },
      {
        say: 'Please cancel my order',
        reply: 'Order 37129 (2 × Sunglasses) is now Cancelled.',
        tools: ['get_order_by_id', 'cancel_order'],
        approval: true,
      },
    ],
  },
  {
    name: 'account lookup: forgotten order id, e-mail, "What are my orders"',
    turns: [
      {
        say: 'Hello, I need some help',
        reply: 'Hello! I can look up your account and your orders, or cancel an order. What can I do for you?',
        tools: [],
      },
      { say: "I don't remember my order id", reply: FORGOTTEN_ID, tools: [] },
      {
        say: 'My email is anacarolina_silva@example.com',
        reply: 'Thanks, Ana Carolina Silva, I found your account. What can I help you with?',
        tools: ['get_user'],
      },
      {
        say: 'What are my orders',
        reply:
          'Ana Carolina Silva, these are your orders: 86420 Fitness Tracker ×1 $129.99 ' +
          'Delivered; 81695 Wireless Keyboard ×1 $49.99 Processing.',
        tools: ['get_customer_orders'],
      },
    ],
  },
  {
    name: 'combining requests: cancel without the order id, phone number, "Yes" (Shipped: declined)',
    turns: [
      { say: "I need to cancel an order but don't remember my order id", reply: FORGOTTEN_ID, tools: [] },
      {
        say: 'My phone number is 312-555-8204',
        reply:
          'Thanks, Arnav Desai, I found your account. Shall I look up your ' +
          "orders to find the one you'd like to cancel?",
        tools: ['get_user'],
      },
      {
        say: 'Yes',
        reply:
          "I found your order 54321 (3 × Laptop Sleeve at $24.99), but it is Shipped, so it can't be " +
          'cancelled. Only orders that are still Processing can be cancelled.',
        tools: ['get_customer_orders'],
      },
    ],
  },
];
