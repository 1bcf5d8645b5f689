"""AWS's top_song tool-use example (docs/fixtures.md section 2), driven by unmodified boto3.

The one change from the user guide's script is the endpoint: boto3's own `endpoint_url` pointing at the emulator
(argv[1]), with dummy keys as Kong's how-to uses them. The flow is the guide's: one Converse call, the tool run
locally, its result (or `status: "error"` with the station-not-found text) sent back, one more call; the streaming
example assembles each message from the event stream the way the guide's ConverseStream script does. Each run prints
one JSON line (the prompt, the model, the tool results sent, the final message and stop reason) for the test to read.
"""

import json
import sys

import boto3


class StationNotFoundError(Exception):
    """Raised when a radio station isn't found."""


def get_top_song(call_sign):
    """The guide's tool: one known station."""
    if call_sign == "WZPZ":
        return "Elemental Hotel", "8 Storey Hike"
    raise StationNotFoundError(f"Station {call_sign} not found.")


TOOL_CONFIG = {
    "tools": [
        {
            "toolSpec": {
                "name": "top_song",
                "description": "Get the most popular song played on a radio station.",
                "inputSchema": {
                    "json": {
                        "type": "object",
                        "properties": {
                            "sign": {
                                "type": "string",
                                "description": "The call sign for the radio station for which you want the most "
                                "popular song. Example calls signs are WZPZ, and WKRP.",
                            }
                        },
                        "required": ["sign"],
                    }
                }
            }
        }
    ]
}


def tool_result(tool):
    """The guide's toolResult: json content on success, the error text with status "error" otherwise."""
    try:
        song, artist = get_top_song(tool["input"]["sign"])
        return {"toolUseId": tool["toolUseId"], "content": [{"json": {"song": song, "artist": artist}}]}
    except StationNotFoundError as err:
        return {"toolUseId": tool["toolUseId"], "content": [{"text": err.args[0]}], "status": "error"}


def converse(client, model_id, input_text):
    """The sync example: Converse, run the requested tool, Converse once more."""
    messages = [{"role": "user", "content": [{"text": input_text}]}]
    response = client.converse(modelId=model_id, messages=messages, toolConfig=TOOL_CONFIG)
    output_message = response["output"]["message"]
    messages.append(output_message)
    sent = []
    if response["stopReason"] == "tool_use":
        for block in output_message["content"]:
            if "toolUse" in block:
                result = tool_result(block["toolUse"])
                sent.append(result)
                messages.append({"role": "user", "content": [{"toolResult": result}]})
        response = client.converse(modelId=model_id, messages=messages, toolConfig=TOOL_CONFIG)
        output_message = response["output"]["message"]
    return sent, output_message, response["stopReason"]


def stream_message(client, model_id, messages):
    """The streaming example's assembly of one message from ConverseStream events."""
    response = client.converse_stream(modelId=model_id, messages=messages, toolConfig=TOOL_CONFIG)
    message = {"content": []}
    tool_use = {}
    text = ""
    stop_reason = ""
    for chunk in response["stream"]:
        if "messageStart" in chunk:
            message["role"] = chunk["messageStart"]["role"]
        elif "contentBlockStart" in chunk:
            tool = chunk["contentBlockStart"]["start"]["toolUse"]
            tool_use = {"toolUseId": tool["toolUseId"], "name": tool["name"]}
        elif "contentBlockDelta" in chunk:
            delta = chunk["contentBlockDelta"]["delta"]
            if "toolUse" in delta:
                tool_use["input"] = tool_use.get("input", "") + delta["toolUse"]["input"]
            elif "text" in delta:
                text += delta["text"]
        elif "contentBlockStop" in chunk:
            if "input" in tool_use:
                tool_use["input"] = json.loads(tool_use["input"])
                message["content"].append({"toolUse": tool_use})
                tool_use = {}
            else:
                message["content"].append({"text": text})
                text = ""
        elif "messageStop" in chunk:
            stop_reason = chunk["messageStop"]["stopReason"]
    return message, stop_reason


def converse_stream(client, model_id, input_text):
    """The streaming example: the same single tool round over ConverseStream."""
    messages = [{"role": "user", "content": [{"text": input_text}]}]
    message, stop_reason = stream_message(client, model_id, messages)
    messages.append(message)
    sent = []
    if stop_reason == "tool_use":
        for block in message["content"]:
            if "toolUse" in block:
                result = tool_result(block["toolUse"])
                sent.append(result)
                messages.append({"role": "user", "content": [{"toolResult": result}]})
        message, stop_reason = stream_message(client, model_id, messages)
    return sent, message, stop_reason


def main():
    client = boto3.client(
        "bedrock-runtime",
        endpoint_url=sys.argv[1],
        region_name="us-east-1",
        aws_access_key_id="dummy",
        aws_secret_access_key="dummy",
    )
    runs = [
        ("converse", "cohere.command-r-v1:0", "What is the most popular song on WZPZ?"),
        ("converse", "cohere.command-r-v1:0", "What is the most popular song on WZPA?"),
        ("converse_stream", "anthropic.claude-3-haiku-20240307-v1:0", "What is the most popular song on WZPZ?"),
        ("converse_stream", "cohere.command-r-v1:0", "What is the most popular song on WZPA?"),
    ]
    for operation, model_id, prompt in runs:
        run = converse if operation == "converse" else converse_stream
        sent, message, stop_reason = run(client, model_id, prompt)
        print(json.dumps({"operation": operation, "model": model_id, "prompt": prompt, "sent": sent,
                          "message": message, "stopReason": stop_reason}))


if __name__ == "__main__":
    main()
