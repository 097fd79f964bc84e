import anthropic

client = anthropic.Anthropic()


def summarize(ticket: str):
    return client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=200,
        system="You summarize support tickets in two neutral sentences.",
        messages=[{"role": "user", "content": ticket}],
    )
