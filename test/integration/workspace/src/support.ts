import OpenAI from 'openai';
import { SUPPORT_SYSTEM } from './prompts';

const client = new OpenAI();

export async function answer(question: string) {
  return client.chat.completions.create({
    model: 'gpt-4o',
    max_tokens: 400,
    messages: [
      { role: 'system', content: SUPPORT_SYSTEM },
      { role: 'user', content: `Customer question: ${question}` },
    ],
  });
}
