// A varied corpus: code, prose, non-Latin scripts, emoji, whitespace runs, special-token strings.
export const CORPUS = [
  'Hello, world!',
  'You are a helpful assistant. Answer in one sentence.',
  'function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'def f(x):\n    return {"k": [1, 2, 3]}  # comment\n',
  '日本語のテキストをトークン化します。漢字とひらがな。',
  'Привет, как дела? Это тест на кириллице.',
  'مرحبا بالعالم، هذا اختبار.',
  'हिन्दी में एक वाक्य।',
  '👩‍💻🚀✨ emoji 🎉 and ZWJ 👨‍👩‍👧‍👦',
  '   leading and   multiple    spaces\t\ttabs\n\n\nnewlines',
  'Text with <|endoftext|> inside and <|im_start|>system<|im_end|> markers',
  '<|fim_prefix|><|fim_middle|><|fim_suffix|><|endofprompt|>',
  'a'.repeat(5000),
  'Numbers 1234567890 3.14159 -42 1e10 0xFF',
];

