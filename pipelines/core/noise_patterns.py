"""Vocabularies and compiled patterns for the cleaner, kept apart so the rules stay readable.

Each vocabulary names a kind of page furniture by the words that CMSs, newspapers' e-paper
sites, WeChat and spam injectors actually print; the cleaner combines them with structural
signals (line length, punctuation density, repetition), so no single word removes body text.

Patterns run on a folded view of the text: simplified characters, lower-case ASCII, same
length as the input. So they are written in simplified Chinese and lower case, and need no
IGNORECASE; pure word lists compile to literal alternations, which `re` scans fast.
"""

from __future__ import annotations

import re

from pipelines.core.text_concepts import HAN, SENTENCE_END

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def words(text: str) -> str:
    """An alternation of space-separated words that prefers the longest, as a trie.

    `re` tries the branches of an alternation one by one; sharing prefixes ("打印(?:本页|此页)?")
    lets it reject a position after one character instead of after every word.
    """
    trie: dict[str, dict] = {}
    for w in wordset(text):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    # A flat alternation at the top keeps the first-character prefilter of `re`.
    return "|".join(re.escape(ch) + _trie_pattern(child) for ch, child in sorted(trie.items()))


def _trie_pattern(node: dict[str, dict]) -> str:
    alts = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(alts) > 1 or len(alts[0]) > 1 else f"{body}?"


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN_RE = re.compile(f"[{HAN}]+")

# Punctuation that ends or splits a sentence in body prose; headlines and link lists lack it.
SOFT_PUNCT = "，。；、！？,;!?"
SOFT_PUNCT_RE = re.compile(f"[{SOFT_PUNCT}]")
HAS_SENTENCE_PUNCT_RE = re.compile("[。；！？!?;]")
# Stretches between soft punctuation long enough to be a run of glued headlines, not prose.
HEADLINE_MIN = 100
LONG_PIECE_RE = re.compile(f"[^{SOFT_PUNCT}\n]{{{HEADLINE_MIN},}}")
# Sentence-sized units for the duplicate detector: a run up to and including its terminator.
UNIT_RE = re.compile(f"[^{SENTENCE_END}]*[{SENTENCE_END}]|[^{SENTENCE_END}]+")
WS_RE = re.compile(r"\s+")
DIGIT_RE = re.compile(r"\d")
TEXT_CHAR_RE = re.compile(f"[0-9a-z{HAN}]")  # what a line holds beyond symbols ("➒➓", "|")
BULLET_RE = re.compile(r"^[\s•·▪▫◆◇■□●○►▶>\-*]+")

# ---------------------------------------------------------------- spam headers
SPAM_STRONG_RE = re.compile(
    words(
        "百家乐 葡京 娱乐城 彩金 博彩 赌场 老虎机 "
        "时时彩 六合彩 北京赛车 威尼斯人 澳门金沙 金沙娱乐 太阳城娱乐 "
        "太阳城集团 太阳城官网 真人视讯 棋牌游戏 捕鱼游戏 体育投注 "
        "足球投注 网上赌 线上赌 赌博网 现金网 信誉网 "
        "大发快三 幸运飞艇 永利娱乐 皇冠体育 皇冠娱乐 澳门赌 亚洲成人 成人网站 成人影院 成人影片 成人视频 "
        "成人电影 成人小说 色情网 色情片 无码 国产精品 一本道 一级片 "
        "毛片 黄色网站 黄片 自拍偷拍 人妻 熟女 巨乳 一区二区 二区三区 中文字幕 久久精品 无色码 夜夜骑 夜夜爽 "
        "激情视频 午夜福利 福利视频 伦理片 三级片 女优 "
        # porn titles stuffed into hacked pages' headers ("亚洲欧美自拍一区丝袜,…天天操天天摸天天干")
        "丝袜 天天操 天天干 天天摸 天天射 天天撸 做a爱 做爱 乱伦 偷拍 少妇 熟妇 黄色视频 成人爱爱 啪啪啪 "
        # lottery tips and casino games injected into hacked sites
        "六开彩 天天开彩 天天彩 开奖结果 开奖记录 一肖一码 一码一肖 管家婆 王中王 特马 特码 澳彩 新澳门 "
        "资料大全 免费资料 精准资料 真人游戏 麻将胡了 pg电子 ag真人 ky棋牌 赌球 下注 投注 安卓通用版"
    )
    + r"|娱乐场(?!所)"
)
# Casino and sports-betting brands in hacked titles: "开云体育(中国)官方网站", "乐鱼体育官网入口",
# "爱游戏(ayx)中国官方网站", "开元棋牌app下载".
SPAM_BRAND_RE = re.compile(
    r"(?:体育|娱乐|棋牌|彩票|电竞|游戏|国际)\s*(?:[(（][^()（）]{1,12}[)）])?\s*(?:中国)?"
    r"(?:官方网站|官网|app|入口|下载|网页版|平台登录)|[(（]中国[)）]\s*(?:官方网站|官网)"
)
SPAM_LATIN_RE = re.compile(
    r"(?<![a-z])av(?:在线|天堂|网|影|片|女优)|(?:日本|欧美|国产|亚洲|免费)av(?![a-z])|porn|bet365|365bet|"
    r"(?<![a-z])bet(?:\d|ting)|casino|pk10"
)
SPAM_WEAK_RE = re.compile(
    words(
        "官方网站 官网 注册 开户 登录 入口 下载 app 澳门 在线 免费 视频 "
        "观看 网址 首存 返水 体验金 平台 高清 手机版 最新 日韩 欧美 精品"
    )
)
NUMBERED_DOMAIN_RE = re.compile(
    r"(?<![a-z0-9.])(?:www\.)?[a-z]{0,8}\d{2,}[a-z0-9]*\.(?:com|net|cc|vip|tv|me|xyz|top|app|bet|club|live|co)"
    r"(?![a-z])"
)
LATIN_RE = re.compile("[a-z]")

# ---------------------------------------------------------------- SEO keyword stuffing
SEO_TERM_RE = re.compile(
    words(
        "网站建设 网站制作 网站设计 网站优化 网站推广 网站源码 "
        "网站模板 网站开发 网站排名 建网站 做网站 建站 "
        "网页设计 网页制作 seo 关键词优化 关键词排名 关键词按天 "
        "百度排名 百度推广 百度优化 百度标王 百度快照 "
        "网络推广 网络营销 整站优化 排名优化 快速排名 按天扣费 "
        "按天计费 按天收费 按效果付费 外贸网站 营销型网站 "
        "响应式网站 小程序开发 app开发 虚拟主机 域名注册 服务器租用 店铺运营 "
        "代运营 网站 优化 推广 排名 营销 "
        "源码 模板 多少钱 哪家好 哪家强 报价 价格 费用 收费 公司 推荐 电话 厂家 软件 系统 设计 制作"
    )
)
# Terms that on their own mark a commercial SEO phrase (the rest also occur in prose).
SEO_CORE_RE = re.compile(
    words("网站 seo 建站 网页 关键词 百度 推广 营销 源码 主机 扣费 计费 收费 付费 运营 多少钱 哪家好 哪家强 报价")
)

# ---------------------------------------------------------------- navigation and chrome
_CHROME_WORDS = (
    # page tools
    "打印本页 打印此页 打印文章 打印 友善列印 列印 关闭窗口 "
    "用户名 密码 忘记密码 关闭本页 关闭 返回列表 返回首页 返回顶部 回到顶部 "
    "返回 回上一页 回上页 回首页 回顶端 "
    "加入收藏 收藏本页 收藏 分享到 分享至 分享 转发 复制链接 保存 下载 纠错 我要纠错 "
    "微信 微博 新浪微博 腾讯微博 qq空间 qq好友 朋友圈 豆瓣 人人网 facebook twitter line plurk x 推特 "
    "whatsapp telegram linkedin email 微信好友 "
    "扫一扫 微信扫一扫 手机扫一扫 用手机看 手机阅读 在手机打开当前页 在手机上打开 手机版 电脑版 移动版 "
    "无障碍 无障碍阅读 长者模式 关怀版 适老化 "
    "繁体 简体 简体版 english 设为首页 登录 注册 退出 搜索 高级搜索 站内搜索 "
    "字号 字体 字级 大 中 小 默认 t 放大 缩小 小字号 中字号 大字号 正文 党政机关 "
    "繁体版 智能问答 用户登录 个人登录 法人登录 个人中心 注销 网站导航 "
    # comments
    "精彩评论 加载更多 载入更多 查看更多 更多评论 发表评论 网友评论 我要评论 最新评论 热门评论 全部评论 "
    "我来说两句 我要说两句 说两句 暂无评论 写评论 写下你的评论 文明上网理性发言 文明上网 理性发言 请遵守相关法律法规 "
    "登录后发表评论 请登录后发表评论 发表 提交 匿名 验证码 条评论 评论 回复 举报 反馈 点赞 "
    # self-media platforms: the account bar and its widgets
    "关注 已关注 +关注 关注ta 订阅 换一换 不感兴趣 广告 "
    "百家号 头条号 网易号 企鹅号 搜狐号 大鱼号 澎湃号 一点号 凤凰号 新浪号 "
    # WeChat repost furniture
    "阅读原文 轻触阅读原文 在看 赞 赞赏 喜欢作者 写留言 留言 精彩留言 知道了 取消 允许 "
    "继续滑动看下一个 向上滑动看下一个 预览时标签不可点 微信扫一扫关注该公众号 关注该公众号 关注公众号 "
    "微信扫一扫可打开此内容 使用完整服务 使用小程序 视频 小程序 轻点两下取消赞 轻点两下取消在看 "
    "点击上方蓝字关注我们 点击蓝字关注我们 点击蓝字 关注我们 长按识别二维码 长按二维码关注 识别二维码 "
    "喜欢此内容的人还喜欢 end 更多 更多>> 更多>"
    # search boxes and document-sharing sites
    " pdf版 top 阅读更多 站内检索 搜索历史 清空记录 清空 热门搜索 合集下载 立即下载 文档下载 举报该文档"
    # microblog and news-app widgets, portal tool bars, cookie banners
    " 收起 查看大图 查看原图 向左旋转 向右旋转 网页链接 跟贴 跟帖 热度 参与 阅读下一篇 "
    "视力保护色 背景色 护眼模式 我要打印 适老化无障碍服务 请输入关键词 请输入关键字 请输入搜索内容 "
    "接受 拒绝 同意 接受全部 上传文档 vip +1 上一张 下一张 "
    # forum threads
    "楼主 只看该作者 倒序浏览 阅读模式 电梯直达 使用道具 引用 沙发 板凳 地板 发表于 "
)
CHROME_COUNTER = (
    r"(?:评论|点赞|在看|收藏|分享|转发|赞|阅读|浏览|留言|跟贴|跟帖|参与|热度)"
    r"\s*[(（]?\s*\d[\d,.]*\s*(?:万|w|k)?\+?\s*[)）]?(?:条|次|人)?"
)
CHROME_COUNT_NOUN = (
    r"(?:已有|共有|现有|共|)\s*\d+\s*(?:条评论|人参与|人评论|人阅读|人浏览|次浏览|次阅读)"
    r"|(?<=评论)\s*[(（]?\d+\s*条?[)）]?"  # "发表评论 0条"
)
# App and print prompts that vary in their tail ("打开APP阅读更多精彩内容", "打印本文").
CHROME_PROMPT = (
    r"(?:打开|下载|前往|安装)[\u4e00-\u9fff]{0,6}\s*(?:app|客户端)[\u4e00-\u9fff]{0,12}|(?:app|客户端)内(?:打开|阅读|查看)|"
    r"(?:展开|阅读|查看)全文|打印(?:本页|此页|本文|全文|文章|页面)|展开剩余\s*\d+\s*%|继续阅读|点击展开|"
    r"返回[\u4e00-\u9fff]{1,6}[,，]\s*查看更多|返回[\u4e00-\u9fff]{0,6}首页|"
    r"打开[\u4e00-\u9fff]{2,6}(?:新闻|客户端)|查看(?:精彩|更多|高清)?(?:图片|大图|原图)|"
    r"点击下载(?:文档|全文|本文|原文)|下载(?:完整)?(?:pdf|word|doc)?(?:文档|全文|本文|原文)|\d+\s*(?:金币|积分|下载券)|"
    # a portal's closing links ("举报此信息", "进入张家界新闻网微站")
    r"举报此(?:信息|文章|新闻)|(?:分享|转发|发送)(?:到|至)手机|进入[\u4e00-\u9fff]{1,10}(?:微站|客户端|手机版|移动版)|"
    r"免费预览已结束|预览已结束|剩余\s*\d+\s*页[\u4e00-\u9fff]{0,8}|"
    r"本帖最后由.{1,30}?编辑|视频加载中|正在加载|(?:您的|当前)浏览器不支持(?:播放)?(?:此|该)?视频(?:播放)?|"
    r"浏览器不支持(?:播放)?(?:此|该)?视频(?:播放)?|"
    r"\d{1,2}\s*/\s*\d{1,2}(?![\d/])|"
    r"扫码关注[\u4e00-\u9fff]{0,8}|(?:政务|官方)(?:微信|微博|抖音|头条号?|快手|视频号)|(?:本站|本网站)已?支持ipv6|已?支持ipv6|"
    # read-aloud and share prompts ("点击播报本文，约", "分享让更多人看到")
    r"点击(?:播报|朗读|收听|听)(?:本文|全文|文章)[,，]?\s*约?|(?:播报|朗读|收听)(?:本文|全文|文章)[,，]?\s*约?|"
    r"分享(?:给|让)[\u4e00-\u9fff]{1,10}|"
    # login and app prompts ("请先登录", "登录后参与评论", "扫码下载APP", "点击下载客户端")
    r"(?:请先|立即|马上)登录|登录后[\u4e00-\u9fff]{0,8}|(?:点击|扫码)?下载[\u4e00-\u9fff]{0,4}(?:app|客户端)|"
    r"(?:app|客户端)下载|(?:(?:您好|你好)[,，]?\s*)?请(?:先)?登录|请输入[\u4e00-\u9fff]{0,8}|"
    # QR codes and follow prompts ("扫描二维码分享到微信", "手机扫码阅读", "关注我们的微信公众号")
    r"(?:用|使用)?(?:微信|手机)?扫(?:描二维码|码)[\u4e00-\u9fff]{0,10}|手机(?:浏览|阅读|查看)更方便|"
    r"关注[\u4e00-\u9fff]{0,6}?(?:微信)?公众号|"
    # "扫一扫在手机上查看当前页面", "用手机扫描二维码在手机上阅读本文章"
    r"(?:微信|手机)?扫(?:一扫|码|描二维码)?[\u4e00-\u9fff]{0,4}在手机(?:上|端)?(?:打开|查看|阅读|浏览)[\u4e00-\u9fff]{0,8}|"
    r"(?:微信|手机)?扫一扫[\u4e00-\u9fff]{0,12}"
)
CHROME_TOKEN_RE = re.compile(rf"{CHROME_COUNTER}|{CHROME_COUNT_NOUN}|{CHROME_PROMPT}|{words(_CHROME_WORDS)}")
CHROME_SEPARATORS_RE = re.compile(r"[\s【】\[\]|｜/\\·•:：>»<«()（）\-—_~+,，、.…]+")
# A chrome token standing alone between separators inside an otherwise useful line; only words
# that cannot be part of a title ("评论", "视频" can).
_INLINE_CHROME = rf"{CHROME_COUNTER}|{CHROME_PROMPT}|大\s*中\s*小|" + words(
    "打印 友善列印 列印 关闭窗口 关闭本页 关闭 返回列表 "
    "返回顶部 返回首页 加入收藏 收藏本页 收藏 分享到 分享至 "
    "分享 举报 纠错 我要纠错 复制链接 字号 字体 网页链接 楼主 只看该作者 发表于 "
    "我来说两句 我要评论 发表评论 放大 缩小 默认"
)
INLINE_CHROME_RE = re.compile(
    rf"\s*(?:【\s*(?:{_INLINE_CHROME}|{words(_CHROME_WORDS)})\s*】|\[\s*(?:{_INLINE_CHROME}|{words(_CHROME_WORDS)})\s*\]"
    rf"|(?<![^\s|｜/])(?:{_INLINE_CHROME})(?![^\s|｜/]))"
)

NAV_MENU_WORDS = wordset(
    "首页 网站首页 主页 新闻中心 新闻动态 新闻资讯 要闻动态 政务公开 信息公开 政府信息公开 政务服务 "
    "办事服务 网上办事 互动交流 政民互动 公众参与 机构设置 "
    "机构概况 领导信息 领导之窗 联系我们 关于我们 "
    "网站地图 专题专栏 专题 通知公告 工作动态 部门动态 政策法规 政策文件 政策解读 环境质量 环境监测 "
    "数据发布 在线访谈 走进 概况 人事信息 规划计划 统计信息 财政资金 建议提案 办事指南 便民服务 "
    "热点 要闻 国内 国际 财经 体育 娱乐 科技 社会 图片 视频 评论 论坛 博客 地方 生态 环保 "
    "english 无障碍 长者模式 登录 注册 搜索 繁体版 繁体 简体版 智能问答 用户登录 个人登录 法人登录 正文 "
    "回首页 网站导航 网站导览 双语词汇 信息公开目录 规划信息 统计数据 统计信息 财政预决算 政府文件 部门文件"
)
NAV_TOKEN_SPLIT_RE = re.compile(r"[\s|｜/·•▪]+")
# Menu entries have neither punctuation nor a field's colon ("来源：新华日报" is not one).
MENU_ITEM_STOP_RE = re.compile(f"[{SOFT_PUNCT}:：]")
LINK_BAR_SEP_RE = re.compile(r"\s*[|｜]\s*")

# "您的位置：首页 > 部门动态"; a bare "位置" needs its colon ("位置优越" is prose).
BREADCRUMB_LABEL_RE = re.compile(
    r"^\s*[【\[]?\s*(?:(?:您的位置|您现在的位置|你的位置|你现在的位置|当前位置|您当前的位置|当前的位置|所在位置|"
    r"您所在的位置|您当前所在位置|当前所在位置)\s*[】\]]?\s*[:：]?|位置\s*[】\]]?\s*[:：])"
)
# What follows a location label in a breadcrumb (and not in "位置：北纬41°").
BREADCRUMB_TRAIL_RE = re.compile(r">|»|›|＞|→|/|首页|主页|home")
BREADCRUMB_SEP_RE = re.compile(r"\s*(?:>>|>|»|›|＞|→|/|\\)\s*")
BREADCRUMB_HOME_RE = re.compile(r"^\s*(?:首页|网站首页|主页|home)\s*(?:>>|>|»|›|＞|→|/)")
# A trail without a home link ("人民网 >> 环保 >> 正文"); arrows are left out, processes use them.
TRAIL_SEP_RE = re.compile(r"\s*(?:>>|>|»|›)\s*")
TRAIL_END_RE = re.compile(r"(?:网|频道|栏目|正文|首页)$")

# Page banners above the main menu: a site's name, its English name, its address.
SITE_NAME_RE = re.compile(
    rf"[{HAN}·]{{2,24}}(?:人民政府|政府|生态环境厅|生态环境局|环境保护厅|环境保护局|生态环境部|委员会|"
    r"部|厅|局|网|日报|晚报|报社|融媒体中心|新闻网|政府网|报)(?:\s*(?:门户网站|网站|官网|官方网站|数字报|电子报|电子版))?"
    r"(?:\s+(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?)?"
)
# Words that make a name a banner wherever it stands at the top ("中国环境报 数字报", "www.…").
SITE_MARKER_RE = re.compile(r"数字报|电子报|电子版|门户网站|官方网站|www\.|\.gov\.cn|\.com|\.cn")
# Report titles end like newspapers ("…公报", "…通报"); they are never banners.
REPORT_TITLE_RE = re.compile(r"(?:公报|通报|快报|月报|年报|周报|简报|报告|情报)$")
# A line with nothing but symbols: "▼", ":::", "* * *".
SYMBOL_LINE_RE = re.compile(r"[^\w\u3400-\u9fff]+")
LATIN_BANNER_RE = re.compile(r"(?:[a-z&'.,-]+\s+){2,}[a-z&'.,-]+|(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?")
_YMD = r"\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}"  # 2024年5月6日, 2024-05-06
TIMESTAMP_START_RE = re.compile(rf"^\s*{_YMD}")
# An account name with its follow button ("齐鲁壹点 关注"), and the button alone.
FOLLOW_BUTTON_RE = re.compile(r"^\s*[+＋]?\s*(?:关注|已关注|关注ta|订阅)\s*$")
ACCOUNT_FOLLOW_RE = re.compile(r"^\s*\S{2,12}\s+[+＋]?\s*(?:关注|已关注)\s*$")
# Lines that close a document (issuer, date) rather than list other pages.
SIGNATURE_RE = re.compile(
    rf"\s*(?:{_YMD}\s*日?|[{HAN}（）()]{{2,30}}"
    r"(?:局|厅|部|政府|委员会|办公室|中心|公司|报社|站|所|院))\s*"
)
FILE_LINK_RE = re.compile(r"^\s*附件|\.(?:pdf|docx?|xlsx?|wps|zip|rar|ofd)\b")

PREV_NEXT_RE = re.compile(
    r"^\s*(?:[•·▪*-]\s*)?[【\[]?\s*(?:上一篇|下一篇|上一条|下一条|上一则|下一则|上篇|下篇|前一篇|后一篇|上一页|下一页)"
    r"(?:文章|新闻|信息)?\s*[】\]]?"
    r"(?=\s|[:：]|$)"
)
TAG_LINE_RE = re.compile(r"^\s*[【\[]?\s*(?:标签|tags?|关键字|关键词)\s*[】\]]?\s*[:：]")

_RELATED = (
    r"[【\[]?\s*(?:"
    + words(
        "相关阅读 相关新闻 相关文章 相关链接 相关文件 相关稿件 "
        "相关报道 相关推荐 推荐阅读 延伸阅读 更多阅读 "
        "猜你喜欢 为你推荐 精彩推荐 热点推荐 热门推荐 热门文章 "
        "热门新闻 热点新闻 今日热点 热点关注 热搜 热榜 "
        "阅读排行 点击排行 排行榜 热文排行 最新文章 最新新闻 "
        "滚动新闻 即时新闻 最新资讯 往期推荐 往期回顾 往期精选 "
        "精彩回顾 编辑推荐 相关解读 友情链接 相关网站 网站链接 政府网站链接 "
        "大家都在看 大家都在搜 你可能感兴趣 你可能还喜欢 看了又看 网友热议 换一换 相关文档 相似文档"
    )
    # Headings built from a list word and a content word: "作者最新文章", "热门视频", "图片新闻".
    + r"|(?:相关|热点|热门|推荐|最新|精彩|更多|延伸|往期|猜你|为你|作者|今日|24小时|一周|图片|视频|编辑|本类|同类|"
    r"本版|本期|本栏目?|频道|栏目|新闻|本站|本网)"
    r"(?:最新|热门|其他|精选)?(?:新闻|阅读|文章|推荐|资讯|视频|图片|排行榜?|搜索|话题|专题|热文|热点|喜欢|想看|精选|内容|精彩)"
    + r")\s*[】\]]?"
)
RELATED_HEADING_RE = re.compile(rf"^\s*{_RELATED}\s*[:：]?\s*(?:更多\s*(?:>>|>|»)?)?\s*$")
# The same heading with its links run into one line: "相关新闻：标题一 标题二 标题三".
RELATED_INLINE_RE = re.compile(rf"^\s*{_RELATED}\s*[:：]\s*\S")
# Platform disclaimers of reposts ("特别声明：以上内容…本平台仅提供信息存储服务").
DISCLAIMER_RE = re.compile(
    r"^\s*(?:[【\[]?\s*(?:特别|免责|版权|平台|郑重|重要|转载)?(?:声明|说明)\s*[】\]]?\s*[:：]|"
    r"[【\[]\s*(?:特别|免责|版权|平台|郑重|重要|转载)(?:声明|说明)\s*[】\]])"  # "【免责声明】…" without a colon
    r".{0,120}"
    r"(?:本平台|本网|本站|信息存储|不代表|转载|版权归|联系删除|用户提供|侵权|原作者)"
)
# What a server prints instead of the page: "404 Not Found", "nginx/1.18.0", "您访问的页面不存在".
ERROR_PAGE_RE = re.compile(
    r"^\s*(?:(?:error\s*)?\d{3}\s*[-:]?\s*(?:not found|forbidden|bad gateway|internal server error|"
    r"service (?:temporarily )?unavailable|gateway time-?out|bad request)|(?:nginx|apache|openresty|iis)(?:/[\d.]+)?"
    r"(?:\s*\([a-z]+\))?|the requested url\b.{0,80}\bwas not found on this server\.?|file not found\.?|"
    r"(?:\d{3}\s*)?(?:(?:抱歉|对不起)[,，!！]?\s*)?(?:您|你)?(?:所)?(?:访问|请求|查找)?的?(?:页面|网页|文章|信息)"
    r"(?:不存在|已被?删除|找不到|未找到|已过期|无法访问)[^\n]{0,30})\s*$"
)
# Cookie consent banners.
COOKIE_RE = re.compile(r"^\s*(?:本网站|本站|我们|网站)(?:会|将)?使用\s*cookies?")
# Links of a page's tail that point to companion pages (解读, 图解) rather than being body.
COMPANION_LINK_RE = re.compile(r"政策解读|图解|一图读懂|一图看懂|解读[:：—]|相关解读")

FOOTER_STRONG_RE = re.compile(
    r"第\s*\d+\s*位(?:访客|访问者|浏览者)|总访问(?:量|人次|人数)\s*[:：]\s*\d|今日访问(?:量|人次|人数)\s*[:：]\s*\d|"
    r"累计访问(?:量|人次|人数)\s*[:：]\s*\d|网站访问(?:量|人次|人数)\s*[:：]\s*\d|"
    + words(
        "版权所有 copyright © icp备 icp证 公网安备 网站标识码 网站识别码 网站地图 xml地图 txt地图 rss订阅 "
        "不良信息举报 网站纠错 我要纠错 政府网站找错 网站声明 免责声明 隐私政策 版权声明 "
        "未经授权不得转载 未经授权禁止转载 未经许可不得转载 禁止转载"
    )
    + r"|技术支持\s*[:：]|建议使用.{0,30}浏览器|分辨率\s*\d|\d\s*[*×x]\s*\d+\s*分辨率"
)
FOOTER_WEAK_RE = re.compile(
    words(
        "主办 承办 协办 维护 地址 电话 邮编 传真 邮箱 email e-mail 联系我们 关于我们 使用帮助 网站管理 运维 "
        "隐私 白皮书 开放宣告 网站导航 网站导览 报料 热线"
    )
)

# ---------------------------------------------------------------- page metadata fields
META_COUNTER_LABELS = wordset(
    "浏览量 浏览次数 浏览人次 浏览人数 浏览数 浏览 点击数 点击量 点阅次数 点阅数 点阅 人气值 "
    "点击率 点击次数 点击人次 点击 访问量 访问次数 访问人次 "
    "阅读量 阅读数 阅读次数 阅读人次 阅读 人气 热度 查看次数 查看 "
    # a document-sharing site's counters: "字数:4205 字 浏览:1727次 下载:10次"
    "字数 下载 下载次数 下载量"
)
META_EDITOR_LABELS = wordset(
    "责任编辑 责编 网络编辑 值班编辑 实习编辑 编辑 审核 审校 终审 初审 复审 校审 发布者 发布人 录入者 录入 "
    "作者 撰稿人 撰稿 供稿 摄影 通讯员 监制 策划 图片编辑 美编 视频编辑 摄像"
)
META_FONT_LABELS = wordset("文字大小 字体大小 字号 字体 字级 背景色 视力保护色 护眼模式")
META_SOURCE_LABELS = wordset("文章来源 信息来源 稿件来源 来源 出处 图源 图片来源")
# Fields of a 政务公开 table that say how a page is published, not what it says.
META_DISCLOSURE_LABELS = wordset(
    "公开方式 公开范围 公开时限 公开形式 公开属性 公开类型 公开类别 信息类别 公文种类 索引号 信息索引号"
)
# Fields of a document-sharing site: who uploaded the file and what it costs to download.
META_UPLOAD_LABELS = wordset(
    "上传人 上传者 上传时间 上传日期 文档页数 页数 下载积分 下载次数 文档格式 文件大小 内容提供方"
)
META_KEEP_LABELS = wordset(
    "发布时间 发布日期 发文日期 成文日期 印发日期 更新时间 更新日期 "
    "日期 时间 发文机关 发布机构 文号 "
    "主题分类 有效性 生效日期"
)
_ALL_META = " ".join(
    META_COUNTER_LABELS
    | META_EDITOR_LABELS
    | META_FONT_LABELS
    | META_SOURCE_LABELS
    | META_KEEP_LABELS
    | META_DISCLOSURE_LABELS
    | META_UPLOAD_LABELS
)
META_LABEL_RE = re.compile(rf"(?P<label>{words(_ALL_META)})\s*[:：]")
# WeChat credits put a bar after the label: "编辑 | 林晓".
META_BAR_LABEL_RE = re.compile(rf"^\s*(?P<label>{words(_ALL_META)})\s*[|｜]")
FIELD_NUMBER_RE = re.compile(r"\s*\d{1,2}\s*[、.．]\s*")
META_COUNTER_VALUE_RE = re.compile(r"[\d,.\s]*(?:万|w|k)?\+?\s*(?:次|人次|字)?")
META_VALUE_STOP_RE = re.compile(r"[【\[】\]|｜)）]| {2,}|\u3000|\t")
# Counters printed without a colon ("阅读 2345", "浏览次数 356次").
META_BARE_COUNTER_RE = re.compile(
    r"\s*[【\[]?\s*(?<![\u4e00-\u9fff])(?:浏览量|浏览次数|浏览|点击数|点击量|点击|访问量|阅读量|阅读数|阅读)\s*"
    r"\d[\d,.]*\s*(?:万|w|k)?\+?\s*次?\s*[】\]]?"
)
# A self-media account's bar: "发布于山东", "IP属地：北京", "齐鲁壹点官方账号", "12.3万粉丝".
_PROVINCE = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
    "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
)
ACCOUNT_META_RE = re.compile(
    rf"\s*(?:(?:ip属地|发布于|发表于)\s*[:：]?\s*[{HAN}]{{2,8}}(?![{HAN}\d])|\S{{1,20}}官方[账帐]号|^\s*原创(?=\s)|"
    rf"(?<=\d:\d\d)\s+(?:{words(_PROVINCE)})(?:省|市|自治区|特别行政区)?\s*$|"
    r"(?<=\d)\s*来自\s*[^\s，。,]{1,16}?(?:客户端|网页版|手机版|iphone|android|微博|app)|"
    rf"\S{{0,10}}优质[{HAN}]{{1,8}}创作者|[{HAN}]{{1,8}}领域创作者|\d[\d.]*\s*万?\s*粉丝)"
)
# Microblog topics glued to a post: "#石家庄蓝#"; "1#机组" is not one.
HASHTAG_RE = re.compile(rf"\s*(?<![\w#])(?:#[{HAN}·]{{2,20}}#)+")
# Cheap test for ACCOUNT_META_RE, whose lookbehinds make it slow to run on every line.
ACCOUNT_HINT_RE = re.compile(r"ip属地|发布于|发表于|官方[账帐]号|创作者|粉丝|原创|来自|\d:\d\d\s")
GENERIC_SOURCE_RE = re.compile(r"^(?:本站|本网|本网站|原创|网络|互联网|未知|佚名|admin|管理员|综合|网友投稿)?$")
# "(责任编辑：王芳)" closing a news article.
EDITOR_HINT_RE = re.compile(words("编辑 责编 审核 校对"))
EDITOR_PAREN_RE = re.compile(
    r"\s*[(（【\[]\s*[\u4e00-\u9fff]{0,6}?(?:责任编辑|责编|编辑|审核|网络编辑|实习编辑|值班编辑|校对)\s*[:：][^()（）【】\[\]\n]{0,24}[)）】\]]"
)

# ---------------------------------------------------------------- newspaper e-paper chrome
# "第A4版", "第03版：要闻", "第3版：综合新闻"; a bare "第3版" may be an edition of a standard.
EDITION_TOKEN_RE = re.compile(
    r"\s*(?:第\s*(?:[a-z]\s*\d{1,3}|0\d{1,2})\s*版(?:\s*[:：]\s*[\u4e00-\u9fff·]{1,8})?|"
    r"第\s*\d{1,3}\s*版\s*[:：]\s*[\u4e00-\u9fff·]{1,8}|"
    + words(
        "上一版 下一版 上一期 下一期 前一期 后一期 版面导航 "
        "标题导航 版面概览 往期回顾 往期查询 返回目录 本版标题 "
        "本版新闻 pdf版 版面pdf 日期导航"
    )
    + r"|\d?(?:上一版|下一版|上一篇|下一篇|上一期|下一期)\d?(?![\d年月日])"
    + ")"
)
# A byline standing on its own line ("本报记者 周雁凌"); bylines inside a paragraph stay.
BYLINE_RE = re.compile(
    r"^\s*(?:本报|本网|本刊|新华社)?(?:特约)?(?:记者|通讯员|实习生)(?:\s*[\u4e00-\u9fff·]{2,4}){1,4}\s*$"
)

# ---------------------------------------------------------------- image file names
IMAGE_EXT = r"\.(?:png|jpe?g|gif|bmp|webp|tiff?|svg)"
IMAGE_EXT_RE = re.compile(IMAGE_EXT)
IMAGE_LINE_RE = re.compile(rf"^(?:[^\n]{{0,80}}?{IMAGE_EXT}\s*)+$")
# An image's address glued to a paragraph, with its credit: "http://img1.…/146825078.jpg网络图片".
IMAGE_URL_RE = re.compile(
    rf"\s*(?:https?:)?//[^\s\u3000-\u303f\uff00-\uffef{HAN}]{{1,200}}?{IMAGE_EXT}(?![a-z0-9_])"
    r"(?:网络图片|资料图片?|图片来源于网络)?"
)
# Markdown left by a converter: "![]()", "![图](a.png)".
MARKDOWN_IMAGE_RE = re.compile(r"\s*!\[[^\]\n]{0,80}\]\([^)\n]{0,300}\)")
IMAGE_INLINE_RE = re.compile(rf"\s*(?<![\w.])[a-z0-9_\-]{{1,60}}(?:\s?[(（]\d{{1,3}}[)）])?{IMAGE_EXT}(?![\w])")
# Line breaks and tabs a scraper wrote out as escape codes ('持平。\r\n'): residue of the page's
# source. Left in, they hide where a line and its paragraph end, so a national paragraph runs on
# into the next city's.
LITERAL_ESCAPE_RE = re.compile(r"(?:\\[rnt])+(?![a-z])")

# ---------------------------------------------------------------- platform notices
# Sentences a site prints under every page: copyright and repost terms, comment rules, news
# hotlines and tip-offs, subscriptions, document-sharing terms, platform disclaimers. Only a
# sentence that names the site's own terms matches; a body sentence about copyright does not.
NOTICE_PHRASE_RE = re.compile(
    r"版权归原作者|版权(?:均|皆)?(?:属于|归)[^。，,]{0,12}所有|未经(?:本网|本站)?(?:授权|许可)[^。]{0,6}不得(?:转载|复制|使用)|"
    r"转载目的在于传递更多信息|转载请注明(?:出处|来源|地址|原文)|(?:并)?不(?:代表|表明)(?:本网|本站|本平台|我网|本报|本刊)|如有侵权|如有侵犯您的|"
    r"联系我们(?:修改|删除)|违者[^。]{0,10}追究法律责任|文明上网|理性发言|评论服务协议|表达个人看法|"
    r"想爆料|爆料投诉|提供新闻线索|诚邀合作伙伴|(?:广告|新闻|报料|爆料)热线|一经采用|即付薪酬|手机报|发短信|"
    r"下载文档前|甄别文档|仅部分预览|不可在线预览|申请退款|人工客服|文档侵犯|平台不提供额外的编辑|"
    r"the content above|information storage services?|social media platform"
)
# A sentence or a clause that stands alone, brackets kept with their sentence.
NOTICE_UNIT_RE = re.compile(r"(?:[(（][^()（）\n]*[)）]|[^。！？!?\n])*[。！？!?]*")
# A hotline or consulting line: "咨询热线：", "24小时手机咨询 18221844698", "广告热线".
HOTLINE_RE = re.compile(
    r"^\s*[\w]{0,10}?(?:热线|咨询|客服|服务电话|联系电话|投诉电话)(?:电话)?\s*[:：]?\s*"
    r"(?:\+?\d[\d\-—() （）]{5,20})?\s*$"
)
PHONE_LINE_RE = re.compile(r"^\s*\+?\d[\d\-—() （）]{5,20}\s*$")

# ---------------------------------------------------------------- photo captions
# "三都羊甲风光 陈建 摄", "图为聊城城区雾霾散去，出现蓝天。 记者 李军 摄", "发布会现场".
PHOTO_CREDIT_RE = re.compile(
    rf"(?:^|\s)(?:(?:本报|本网)?(?:记者|通讯员|特约摄影)\s*)?[{HAN}]{{2,4}}\s*(?:摄|供图|/摄)\s*$"
)
# A credit in brackets closing a caption: "会议现场（央广网发 葛倩 供图）".
PHOTO_CREDIT_PAREN_RE = re.compile(rf"[(（][^()（）]{{0,16}}?[{HAN}]{{2,4}}\s*(?:摄|供图)\s*[)）]\s*$")
# A placeholder for a picture: "（相关资料图）", "(资料图片仅供参考)", "（图片来源：网络）".
PICTURE_PLACEHOLDER_RE = re.compile(
    r"^\s*[(（【\[]\s*(?:相关)?(?:资料图片?|图片)(?:来源\s*[:：][^()（）]{0,16}|仅供参考)?\s*[)）】\]]\s*$"
)
CAPTION_START_RE = re.compile(r"^\s*(?:图为|上图|下图|左图|右图|图[:：])")
CAPTION_END_RE = re.compile(r"(?:现场|合影|航拍|鸟瞰|一角|全景|风光|美景|掠影|剪影|资料图|示意图|分布图|日历图)\s*$")

# ---------------------------------------------------------------- channel names
# A channel of a portal: a place or a topic followed by a section word ("宣城新闻", "国际频道").
CHANNEL_TOKEN_RE = re.compile(rf"[{HAN}]{{1,6}}(?:新闻|频道|要闻|动态|资讯|论坛|时评|网事)")
# A column label before a headline: "天天热议：", "今日关注：", "焦点快讯|".
COLUMN_PREFIX_RE = re.compile(
    rf"^\s*[{HAN}]{{0,4}}(?:热议|快讯|速递|短讯|聚焦|关注|观察|时评|头条|播报|要闻|热点)\s*[:：|｜]\s*(?=\S)"
)
# The site or channel a page title ends with: "…公报》发布|当前短讯", "… - 大河网".
TITLE_SUFFIX_RE = re.compile(rf"\s*[|｜_]\s*[{HAN}a-z]{{2,10}}\s*$|\s+[-—]\s+[{HAN}a-z]{{2,10}}(?:网|频道)\s*$")
# A site's crumb without arrows before the title: "首页 时事聚焦 [省内] 7月份空气质量…".
SPACED_CRUMB_RE = re.compile(
    rf"^\s*(?:首页|网站首页|主页)(?:\s+[{HAN}]{{2,8}}|\s*[\[【][{HAN}]{{1,6}}[\]】])+\s+(?=\S)"
)
# A bilingual section heading of a company site: "新闻动态" over "news information".
LATIN_HEADING_RE = re.compile(r"[a-z]+(?:\s+[a-z]+){0,3}")
# A teaser of another story, cut short: "…首家专门研究陕西文学的专业性学术组织...".
TEASER_END_RE = re.compile(r"(?:\.\.\.|…|……)\s*$")
# A spam site's name put in place of a place name: "、全球最大赌球网站(12微克/立方米)"; a sentence
# about a crackdown ("打击六合彩等违法犯罪") names no site and stays.
# Its words are all SPAM_STRONG_RE's, which the cleaner checks first.
SPAM_NAME_RE = re.compile(
    rf"(?<![{HAN}])[{HAN}]{{0,6}}(?:(?:赌球|博彩|赌场|百家乐|六合彩|时时彩)[{HAN}]{{0,4}}?(?:网站|官网|网|平台|城)|娱乐城)"
    rf"(?![{HAN}])"
)
# A betting site's brand put in place of a place's name by a hacked CMS, in titles and inside
# sentences: "2025年1月,365bet中文(中国)官方网站 二氧化硫…", "beat365手机安卓版_bet28365体育_365网站余额截图
# 人民政府办公室", "…状况正式AG超玩会用全面翔实…", "➒凯发k8国际首页➓". The name goes and the text around
# it stays. A Latin brand needs letters and digits ("365bet", "bet28365"), so "365天" and "Tibet"
# are no brands; a bare "365" joins a chain only after a brand ("…_365网站余额截图").
_BET_TOKEN = r"(?<![a-z0-9])(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]*(?:bet|365)[a-z0-9]*(?![a-z0-9])|manbetx"
_HAN_BRAND = r"ag\s*超玩会|凯发\s*k8|k8\s*凯发|九游(?:会|娱乐|体育)?"
_BRAND_TAIL = (
    rf"(?:[{HAN}]{{0,4}}?(?:[(（]中国[)）])?\s?(?:"
    + words("官方网站 官网 手机安卓版 安卓版 手机版 体育 娱乐 中文 平台 app 入口 下载 余额截图 截图 国际 首页 网址")
    + "))"
)
SPAM_SITE_NAME_RE = re.compile(
    rf"(?:{_BET_TOKEN}|{_HAN_BRAND}){_BRAND_TAIL}*(?:\s*[_\-]\s*(?:{_BET_TOKEN}|{_HAN_BRAND}|\d{{3,6}}){_BRAND_TAIL}*)*"
)
# Junk a forum inserts between a post's lines to spoil copying (Discuz "jammer"): runs of one- to
# three-character ASCII tokens, "9 S- F( E) V4 {: Y", "/ P9 h- [7 U! I) V* N) d8 K". A run counts
# only with several letter tokens and several of the symbols prose and tables never string
# together (JAMMER_SYMBOLS_RE), so spaced formulas ("S O 2 , N O 2") and number rows stay.
JAMMER_RUN_RE = re.compile(r"(?:[!-~]{1,3}[ \t]+){5,}[!-~]{1,3}")
JAMMER_SYMBOLS_RE = re.compile(r"[!#$&*(){}\[\];:'\"?<>@^~`=+\\]")
JAMMER_MIN = 3  # letter tokens, and symbols, a run needs
# Raw markup a scraper left in the text: a line of nothing but tags ('<td id="cmuwy"><samp id="cmuwy">').
HTML_TAG_LINE_RE = re.compile(r"(?:\s*</?[a-z][a-z0-9]*(?:\s[^<>\n]{0,200})?/?>)+\s*")
# A menu printed without separators, opening with the home link: "首页平安资讯平安要闻热点观察".
GLUED_MENU_RE = re.compile(rf"\s*(?:首页|网站首页|主页)[{HAN}]{{4,60}}\s*")
# A breadcrumb run on after a byline on the same line: "2021-07-16 02:06 重庆晨报  主页 > 关注 > 深呼吸 >".
INLINE_CRUMB_RE = re.compile(
    rf"\s*(?:首页|网站首页|主页)\s*(?:>>|>|»|›)(?:\s*[{HAN}\w]{{1,12}}\s*(?:>>|>|»|›))*(?:\s*[{HAN}\w]{{1,12}})?\s*$"
)
