"""The few things the WeChat channel says by itself, without asking the conversation core.

Chinese first (most followers), then a short English line: the channel cannot know a new
follower's language before they write. Short sentences, plain words, no jargon — many of the
people reading these are elderly.
"""

from __future__ import annotations

WELCOME = (
    "您好，欢迎关注！我是政务服务小助手。\n"
    "我可以帮您：\n"
    "· 讲清楚办事要带什么、去哪里办\n"
    "· 查询办件进度\n"
    "· 预约到大厅办理\n"
    "· 转接人工客服\n"
    "您直接打字，或者按住“按住说话”说出来就行。\n"
    "比如：“身份证丢了怎么补办”。\n"
    "\n"
    "Hello and welcome! I can explain government services, check your case and book a "
    "service-hall appointment. Just type, or hold the button and speak."
)

PLEASE_TYPE = (
    "抱歉，这条语音我没能听清楚。请您打字告诉我，比如“社保怎么交”。\n"
    "Sorry, I could not make out that voice message. Please type it."
)

TEXT_OR_VOICE = (
    "抱歉，这类消息我还看不懂。请您打字，或者发语音告诉我想办什么事。\n"
    "Sorry, I can only read text and voice messages. Please type or speak."
)

UNAVAILABLE = (
    "抱歉，系统有点忙，请您稍后再试。着急的话可以拨打 12345 政务服务热线。\n"
    "Sorry, the system is busy. Please try again soon, or call the 12345 hotline."
)

HELP = WELCOME.split("\n\n")[0].replace("您好，欢迎关注！", "您好！")


def too_long(length: int, limit: int, lang: str) -> str:
    """A message the core cannot take: say so kindly, and say what to do instead."""
    if lang == "en":
        return (f"Your message is {length} characters long; I can read up to {limit} at a time. "
                "Please tell me in a sentence or two what you need.")
    return f"您的消息有 {length} 个字，我一次最多能看 {limit} 个字。请用一两句话告诉我您想办什么事。"
