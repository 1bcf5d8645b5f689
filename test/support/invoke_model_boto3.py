"""InvokeModel with Claude's Messages body, as Python users send it: unmodified boto3, only `endpoint_url` changed.

argv[1] is the emulator, argv[2] a gateway that runs `execute_code` as its own tool. Two flows, one JSON line each:
- `invoke_model` then `invoke_model_with_response_stream` against the emulator for the top_song question, the tool
  run here and its result sent back as a `tool_result` block (is_error for an unknown station);
- the PTC write-up's orchestrator request (`invoke_model`, `anthropic_version`, `system`, `messages`) to the
  gateway, which runs the model's program in its sandbox and answers in one response.
"""

import json
import sys

import boto3

MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
TOOLS = [
    {
        "name": "top_song",
        "description": "Get the most popular song played on a radio station.",
        "input_schema": {
            "type": "object",
            "properties": {"sign": {"type": "string", "description": "The call sign, e.g. WZPZ."}},
            "required": ["sign"],
        },
    }
]
QUERY = (
    "Which engineering team members exceeded their Q3 travel budget? Standard quarterly travel budget is $5,000. "
    "However, some employees have custom budget limits. For anyone who exceeded the $5,000 standard budget, check if "
    "they have a custom budget exception. If they do, use that custom limit instead to determine if they truly "
    "exceeded their budget."
)


def client_for(url):
    return boto3.client(
        "bedrock-runtime",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="dummy",
        aws_secret_access_key="dummy",
    )


def body(messages, **extra):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024, "messages": messages, **extra})


def tool_result(block):
    """The local tool: one known station; an unknown one is an error result."""
    if block["input"]["sign"] == "WZPZ":
        content = json.dumps({"song": "Elemental Hotel", "artist": "8 Storey Hike"})
        return {"type": "tool_result", "tool_use_id": block["id"], "content": content}
    text = f"Station {block['input']['sign']} not found."
    return {"type": "tool_result", "tool_use_id": block["id"], "content": text, "is_error": True}


def invoke(client, messages):
    response = client.invoke_model(modelId=MODEL, body=body(messages, tools=TOOLS))
    return json.loads(response["body"].read())


def invoke_stream(client, messages):
    """One message assembled from the stream's chunk events."""
    response = client.invoke_model_with_response_stream(modelId=MODEL, body=body(messages, tools=TOOLS))
    message = {"content": []}
    partial = ""
    metrics = None
    for event in response["body"]:
        chunk = json.loads(event["chunk"]["bytes"])
        if chunk["type"] == "message_start":
            message["id"] = chunk["message"]["id"]
        elif chunk["type"] == "content_block_start":
            message["content"].append(dict(chunk["content_block"]))
        elif chunk["type"] == "content_block_delta":
            delta = chunk["delta"]
            if delta["type"] == "text_delta":
                message["content"][-1]["text"] += delta["text"]
            else:
                partial += delta["partial_json"]
        elif chunk["type"] == "content_block_stop" and partial:
            message["content"][-1]["input"] = json.loads(partial)
            partial = ""
        elif chunk["type"] == "message_delta":
            message["stop_reason"] = chunk["delta"]["stop_reason"]
        elif chunk["type"] == "message_stop":
            metrics = chunk["amazon-bedrock-invocationMetrics"]
    message["metrics"] = metrics
    return message


def tool_round(call, client, station):
    """Ask, run the requested tool, send its result, read the answer."""
    messages = [{"role": "user", "content": f"What is the most popular song on {station}?"}]
    first = call(client, messages)
    sent = [tool_result(b) for b in first["content"] if b["type"] == "tool_use"]
    messages += [{"role": "assistant", "content": first["content"]}, {"role": "user", "content": sent}]
    final = call(client, messages)
    return {
        "operation": call.__name__,
        "first": first["stop_reason"],
        "sent": sent,
        "answer": "".join(b.get("text", "") for b in final["content"]),
        "stop": final["stop_reason"],
        "metrics": final.get("metrics") is not None,
    }


def main():
    emulator = client_for(sys.argv[1])
    for call in (invoke, invoke_stream):
        for station in ("WZPZ", "WZPA"):
            print(json.dumps(tool_round(call, emulator, station)))
    gateway = client_for(sys.argv[2])
    system = "You are an expense analyst. Use execute_code to work with the expense tools; print only the findings."
    response = gateway.invoke_model(
        modelId=MODEL, body=body([{"role": "user", "content": QUERY}], system=system, max_tokens=4096)
    )
    message = json.loads(response["body"].read())
    print(json.dumps({"operation": "orchestrator", "stop": message["stop_reason"], "content": message["content"]}))


if __name__ == "__main__":
    main()
