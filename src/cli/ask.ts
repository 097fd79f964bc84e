// One question on the terminal (stdin), asked on stderr so stdout stays the command's output.
import * as readline from 'readline';

/** The answer typed, or undefined when the user ends input (Ctrl-D) or interrupts (Ctrl-C). */
export function askOnTerminal(question: string): Promise<string | undefined> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    let answer: string | undefined;
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      // Interrupted or ended mid-question: what is printed next starts on a line of its own.
      if (answer === undefined) process.stderr.write('\n');
      resolve(answer);
    });
    rl.question(question, (a) => {
      answer = a;
      rl.close();
    });
  });
}
