"""Glossary mining: posts -> candidate terms that the glossary does not cover yet.

Only translatable text is mined: each post goes through the `Segmenter` and only the
`source_segments` of its units are read, so code, URLs, markup and untranslated
attributes never yield a candidate. Three kinds of candidates:

- **gloss**: an inline gloss, `中文（English）`, `中文(English)` or `English（中文）`; the
  English part is the suggestion. The Chinese part is what follows the last function
  word before the bracket (`加入飞桨核心框架贡献者俱乐部（PFCC）` -> 飞桨核心框架贡献者俱乐部).
- **ngram**: a frequent run of 2-8 Han characters that looks like a name. Kept only if it
  has no punctuation or digits; does not start or end with a function word or particle
  (`_FUNCTION`, `_START`, `_END`); is not mostly function words; is not made only of
  everyday words (`_COMMON`: 开源项目 goes); has varied neighbours, an effective number
  (exp of the entropy) of at least 2.5 on each side, so that fragments such as 发工 (from
  开发工作, 研发工程师) go; is maximal: dropped when a kept n-gram one character wider occurs
  at least 80% as often (the rule "equal counts", loosened so that a name nearly always
  written in full wins) or any wider n-gram 95% as often; and is not another candidate or
  glossary term plus everyday words (注意力计算, 飞桨研发).
- **latin**: a frequent Latin name (CamelCase, acronym, letters with digits, a Capitalized
  word not usually written in lower case, an @handle), alone or as 2-3 such words in a
  row (`AI Studio`), seen in at least two posts; proposed as dnt.

Whatever the glossary covers is left out: a candidate that one term or alias matches
whole, that glossary matches cover entirely, or that is part of a glossary form (for
Latin candidates: whole words of it). Results are sorted by count, then posts, then term.
`mine` is pure; `extract_candidates` reads the posts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .glossary import Glossary

CandidateKind = Literal["gloss", "ngram", "latin"]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_AFTER_DIGIT = re.compile(r"[0-9][ \t]*$")
_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*"
_LATIN_RUN = re.compile(rf"(?<![A-Za-z0-9_@.+-])@?{_WORD}(?: {_WORD})*(?![A-Za-z0-9_@+-])")
_ZH_EN = re.compile(rf"([{_HAN}]{{2,}})[ \t]*[（(][ \t]*([A-Za-z][A-Za-z0-9 .&'+/-]{{0,60}}?)[ \t]*[）)]")
_EN_ZH = re.compile(rf"((?:{_WORD} ){{0,3}}{_WORD})[ \t]*[（(][ \t]*([{_HAN}]{{2,16}})[ \t]*[）)]")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_MAX_N = 8
_MAX_LATIN = 3
_MAXIMAL, _FRAGMENT, _VARIETY = 0.8, 0.95, 2.5

# Function words, pronouns, conjunctions, adverbs, light verbs: never at the edge of a name.
_FUNCTION = frozenset(
    """
我们 你们 他们 她们 它们 咱们 大家 自己 自身 本身 这个 那个 这些 那些 这样 那样 这种 那种 这里 那里
这次 这是 那是 这位 一个 一些 一下 一种 一点 一起 一直 一定 一样 一次 一位 一名 一项 一步 一般 可以
可能 能够 需要 应该 必须 已经 正在 还是 还有 就是 也是 都是 不是 没有 不会 不能 不同 不断 不仅 而且
并且 或者 以及 因为 所以 但是 然而 如果 虽然 即使 只要 只有 由于 因此 同时 然后 之后 之前 之间 之一
之中 以后 以前 以上 以下 以来 其中 其他 其它 其实 什么 怎么 怎样 如何 为什么 为了 关于 对于 通过 进行
使用 利用 采用 基于 根据 按照 包括 包含 作为 成为 属于 具有 目前 现在 当时 当前 时候 时间 非常 十分
特别 比较 更加 最后 首先 其次 另外 此外 例如 比如 很多 许多 所有 每个 各种 各个 这么 那么 多么 曾经
还要 就会 也会 都会 觉得 认为 希望 感觉 知道 发现 看到 出现 开始 继续 来说 的话 方面 部分 过程 问题
情况 方式 方法 东西 事情 内容 相关 主要 重要 真正 真的 确实 当然 尤其 甚至 几乎 总是 往往 经常 有些
有的 有点 只是 不过 否则 从而 进而 于是 并不 依然 仍然 即可 等等 之类 左右 上面 下面 里面 前面 后面
中间 当中 如此 这一 那一 大量 更多 很大 提供 支持 实现 完成 参与 参加 加入 添加 引入 举办 开展 带来
带领 帮助 负责 称为 叫做 得到 获得 取得 感谢 同学 老师 小伙伴 朋友 如下 如图 下图 上图 所示 本文
本次 本期 今年 去年 明年 今天 最近 未来 随着 经过 面向 针对 围绕 来自 位于 之下 非常 特别是 整个 每一
每位 任何 一切 所谓 其余 各位 以便 从来 不再 再次 重新 稍微 仅仅 只需 一旦 只能 不要 是否 能否 另一
""".split()
)
_START = frozenset(
    "的了是在和与及或而但并也都就还又很太更最让把被给对从向往于以之其这那哪每各该此些吗呢吧"
    "啊呀哦嘛着过得将再才只即若且所虽等为由我你他她它您有没不要会能使到来个种位们下另次件句行入做共期用"
)
_END = frozenset(
    "的了是在和与及或而但并也都就还又很太更最让把被给对从向往于以之其这那哪每各该此吗呢吧啊呀"
    "哦嘛着过得将要个些们再才只即若且等为由我你他她它您有中上下里后前时来去说到出起完好多次种位用一不"
    "能实工成方分新"
)
_INSIDE = frozenset("的了着吗呢吧")  # particles that never occur inside a name
_CUT = frozenset("的了是在和与及或而但并也都就还又很把被给对从向于以为由让将即等着过")  # a gloss's zh follows
_NUMERALS = frozenset("〇一二三四五六七八九十两几第")  # not 百千万: 百度, 千帆
_MEASURE = frozenset("个位支名次种项篇条件份届期场天年月周日道款家所门节张台只批组轮号万亿千百余多")
_GLUE = frozenset("的和与及之或而并在是了也都就还把被给对从向为以于")

# Everyday words of the language and of the domain: an n-gram made only of these (and glue
# particles) is a phrase, not a name.
_COMMON = frozenset(
    """
项目 活动 结果 信息 系统 基础 流程 工具 公司 方案 领域 环境 平台 产品 场景 质量 目标 结构 文件 兴趣 效率
版本 知识 逻辑 机制 空间 学校 学生 生活 故事 路径 大小 经验 资源 机会 形式 原因 地址 标准 思路 价值 力量
模块 格式 维度 数量 数据 模型 代码 任务 世界 国家 社会 城市 人员 成员 学习 工作 技术 水平 特点 优势 意义
影响 关系 条件 计划 规则 概念 理论 原理 细节 步骤 阶段 效果 作品 奖励 奖金 证书 荣誉 礼品 比赛 团队 组织
部门 企业 产业 市场 经济 政策 文化 教育 历史 时期 年代 分钟 周末 假期 挑战 困难 压力 动力 热情 感受 体会
收获 成长 进步 发展 变化 趋势 中心 区别 差异 比例 速度 规模 程度 范围 类型 角度 层面 背景 核心 关键 重点
难点 亮点 主题 话题 题目 答案 意见 建议 反馈 评论 讨论 交流 沟通 合作 协作 分享 介绍 说明 描述 解释 总结
报告 文章 博客 图片 视频 链接 页面 网站 网页 邮件 消息 通知 公告 新闻 文档 材料 资料 手册 教程 指南 课程
课题 作业 考试 成绩 分数 数字 数学 物理 化学 生物 医学 艺术 音乐 电影 游戏 照片 别人 身份 名字 名称 名单
列表 表格 图表 符号 字符 文字 语言 中文 英文 英语 翻译 意思 办法 优化 注意 提升 直接 选择 设计 执行 解决
提交 输入 处理 研发 发布 理解 经历 运行 喜欢 简单 建设 转换 探索 实践 操作 检查 持续 关注 导致 展示 分析
加速 实验 启动 成功 结合 具体 修改 深入 通常 降低 融合 提高 完全 避免 相比 报名 快速 增加 表现 依赖 构建
采访 欢迎 识别 完整 接触 复杂 参考 减少 整体 代表 稳定 优秀 体验 预测 结束 推动 促进 推进 推广 创建 创造
创新 改进 改善 改变 升级 维护 管理 测试 部署 安装 配置 编写 编译 调试 修复 发送 接收 获取 满足 符合 适合
适配 发生 产生 相信 认识 掌握 熟悉 打算 准备 决定 确定 尝试 坚持 保持 保证 确保 保障 增强 加强 扩展 扩大
缩小 增长 上升 计算 统计 记录 收集 整理 研究 调研 评估 评测 验证 证明 表示 表达 定义 设置 设定 调整 控制
依靠 导入 加载 保存 存储 读取 写入 删除 插入 替换 移除 清理 排序 查找 搜索 查询 访问 打开 关闭 点击 上传
登录 注册 申请 离开 进入 告诉 回答 提问 询问 邀请 恭喜 祝贺 鼓励 推荐 评价 吸引 带动 引导 指导 辅导 培养
培训 教学 讲解 讲授 传播 宣传 展现 体现 反映 显示 展开 开放 公开 发表 出版 阅读 写作 编辑 开发 贡献 开源
社区 开发者 贡献者 框架 相同 类似 相似 相应 全部 完善 成熟 可靠 安全 高效 缓慢 容易 方便 便捷 灵活 强大 丰富
多样 广泛 深刻 明显 显著 清晰 清楚 明确 准确 正确 错误 合理 合适 间接 自动 手动 实际 正式 逐渐 始终 常常
偶尔 大概 出色 精彩 开心 快乐 幸运 辛苦 努力 认真 积极 主动 需求 机器 电脑 手机 网络 互联网 软件 硬件 程序
程序员 工程师 算法 函数 接口 参数 变量 内存 延迟 开销 成本 服务 服务器 客户端 训练 推理 调优 精度 准确率
损失 梯度 权重 矩阵 张量 特征 样本 标签 数据集 指标 基线 论文 作者 组件 插件 仓库 分支 规范 示例 注释 日志
报错 异常 单元 大学 学院 学长 学姐 导师 队伍 队员 队长 选手 评委 嘉宾 观众 主持人 讲师 专家 领导 伙伴 现场
大赛 决赛 初赛 复赛 奖项 冠军 亚军 季军 获奖 颁奖 奖品 礼物 明天 昨天 当年 开头 结尾 上午 上期 首期 半年
多年 年底 年初 生态 治理 运营 运维 产研 工程 体系 架构 策略 思想 理念 愿景 规划 安排 演讲 讲座 论坛 峰会
大会 沙龙 聚会 聚餐 合影 留念 直播 回放 环节 议程 主办 承办 协办 越来越 成果 贡献度 活跃 活跃度 影响力 认可
肯定 粉丝 人数 数目 总数 总量 全年 全球 国内 国外 海外 本地 远程 基本 学术 科研 科学 工业 制造 交通 金融
医疗 农业 汽车 电子 通信 信号 芯片 设备 硬盘 屏幕 键盘 耳机 相机 图像 声音 语音 文本 单词 词语 段落 章节
标题 目录 索引 引擎 浏览器 编辑器 终端 命令 脚本 语法 语句 代码库 源码 源代码 编程 开源项目 谢谢 加油 哈哈
哈哈哈 厉害 实习 分布 分配 专业 回复 模式 顺利 印象 联合 无法 查看 详情 系列 保留 内部 看看 难度 考虑 限制
解析 本科 创意 传统 原始 顺序 硬核 特性 状态 连续 独立 底层 职业 长度 激活 前沿 专门 常见 定性 赛事 分别
覆盖 混合 日常 毕业 无论 特定 额外 自然 落地 相当 平均 高质量 参赛 高级 匹配 人类 氛围 大型 观察 详细 思考
想法 圆满 面试 分解 联系 热爱 同步 虚拟 提取 打印 后续 长期 感兴趣 呈现 聚焦 回顾 提名 评选 表彰 颁发 主持
发言 致辞 开幕 闭幕 启动仪式 落幕 社群 群聊 微信 微信群 公众号 小红书 知乎 博主 点赞 转发 收藏 关注者 浏览
阅读量 浏览量 报道 采访者 受访者 主讲人 本人 简介 自我介绍 昵称 年级 研究生 博士 硕士 本科生 毕业生 校友
校园 高校 学子 实验室 宿舍 食堂 北京 上海 深圳 广州 杭州 南京 武汉 厦门 天津 重庆 苏州 西安 长沙 福建 广东
浙江 江苏 中国 全国 国际 亚洲 美国 当天 中午 凌晨 春节 国庆 暑假 寒假 节日 生日 纪念 年度 季度 月度 双周
本周 上周 容量 数值 取值 精确 近似 误差 偏差 方差 均值 分布式 串行 异步 线程 进程 节点 集群 通信量 带宽 吞吐
吞吐量 瓶颈 计算量 计算机 机器学习 深度学习 神经网络 自然语言 语言模型 图像处理 计算机视觉 视觉 语音识别
数据处理 数据分析 大数据 云计算 边缘 分块 组合 分组 分层 层级 排列 映射 转化 变换 投影 编码 解码 压缩 解压
缓存 加速比 提速 优化器 编译器 解释器 随机 采样 初始化 归一化 正则化 量化 蒸馏 剪枝 微调 预训练 后训练 推断
排名 榜单 排行 排行榜 打造 重叠 问答 初始 负载 检索 均衡 迭代 示意图 指针 实训 窗口 考核 工作流 粒度 实操
跑通 默认 指令 恢复 捕获 监督 同样 风险 合同 高度 涵盖 兼容 新人 稳定性 复现 竞争 级别 可视化 标记 进度 交互
走进 全局 公式 现象 读博 搭建 专注 视角 节奏 切换 建立 进阶 热门 极大 大多数 资深 较大 拆解 时代 空闲 解读
新增 碎片 传输 超级 栏目 特色 主流 具备 足够 难题 截图 投入 进展 大规模 成立 理想 结构化 写代码 本质 请求
保研 强度 开启 逐步 愿意 答疑 好像 尽量 携手 全量 关键词 商业 后端 前端 学员 认领 调度 占比 稿件 见解 示意
图示 多少 开源贡献 开源活动 开源社区 开发任务 技术专家 工作流程 概率 语义 产品经理 多人 前言 充满 彩蛋 接近
节省 轻松 重复 总体 技巧 无关 生涯 驱动 互动 传递 助手 局部 忽略 聊天 年轻 点点 辅助 美食 人生 审查 返回
团建 抓取 面临 主导 历程 时刻 严格 实力 巨大 竞赛 通道 先进 冗余 成就感 模板 观点 准确性 减小 周期 热度 追踪
厂商 构造 受限 触发 演进 单独 固定 无需 上线 简历 平衡 慢慢 增大 累计 离线 集合 领先 嵌入 较高 正常 优先
尽管 无限 精神 上手 全流程 好处 完美 实战 业务 新手 轻量 例子 布局 征集 强制 思维 运算 放置 危害 正确性
飞桨生态
""".split()
)

_LATIN_STOP = frozenset(
    """
a an the and or of to in on for with by is are be as at it this that from i we you pr prs ai api apis
gpu gpus cpu cpus ok id ids url urls qa faq demo todo tips step note fig eg ie etc vs what how why when
where who which your our all need can do does not no yes without into over under about more less new first
last best good great fast long short large small high low next one two three via using towards beyond
""".split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A term found in the posts that the glossary does not cover."""

    term: str
    """The source form, as written in the posts."""
    count: int
    """Occurrences in the translatable text of all posts."""
    posts: int
    """How many posts it occurs in."""
    example: str
    """A short piece of a sentence around one occurrence."""
    kind: CandidateKind
    """gloss (glossed inline), ngram (frequent Han n-gram) or latin (a name to keep as is)."""
    suggestion: str = ""
    """The target form: the English of an inline gloss, the term itself for latin, else ""."""


def extract_candidates(
    posts: list[Path], glossary: Glossary, min_count: int = 3, limit: int = 200
) -> list[Candidate]:
    """Mine `posts` for terms missing from `glossary`, most frequent first (at most `limit`).
    Raises `LoadError` for a file that is not a post."""
    from .load import load_post  # noqa: PLC0415
    from .segment import Segmenter  # noqa: PLC0415

    segmenter = Segmenter()
    texts = [[s for u in segmenter.segment(load_post(p)).units for s in u.source_segments] for p in posts]
    return mine(texts, glossary, min_count, limit)


def mine(
    texts: Sequence[Sequence[str]], glossary: Glossary, min_count: int = 3, limit: int = 200
) -> list[Candidate]:
    """The candidates in `texts` (for each post, its plain-text segments), most frequent first."""
    covered = _Coverage(glossary)
    floor = max(min_count, 1)
    found: dict[str, tuple[CandidateKind, int, int, str]] = {}  # term -> kind, count, posts, suggestion
    ngrams = _ngrams(texts, floor, covered)
    known = set(ngrams) | {f for f in covered.forms if _HAN_RUN.fullmatch(f)}
    for term, (count, posts) in ngrams.items():
        if not _splits(term, known):  # 注意力计算 is 注意力 + 计算; 飞桨研发 is 飞桨 + 研发
            found[term] = ("ngram", count, posts, "")
    for term, (count, posts) in _latin(texts, floor, covered).items():
        found[term] = ("latin", count, posts, term)
    joined = ["\n".join(segs) for segs in texts]
    for zh, en in _glosses(texts, covered).items():
        counts = [j.count(zh) for j in joined]
        if sum(counts) >= floor and not _splits(zh, known):
            found[zh] = ("gloss", sum(counts), sum(1 for c in counts if c), en)
    order = sorted(found.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0]))[: max(limit, 0)]
    return [
        Candidate(term, count, n_posts, _example(joined, term), kind, suggestion)
        for term, (kind, count, n_posts, suggestion) in order
    ]


class _Coverage:
    """Whether the glossary already covers a candidate."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.forms = [f for t in glossary.terms for f in (t.source, *t.aliases)]
        self.folded = "\n".join(f.casefold() for f in self.forms)

    def __call__(self, text: str) -> bool:
        pos = 0
        matches = self.glossary.find(text)
        for m in matches:
            if text[pos : m.start].strip():
                break
            pos = m.end
        else:
            if matches and not text[pos:].strip():
                return True  # one term, or terms side by side
        if _HAN_RUN.search(text):
            return any(text in f for f in self.forms)
        word = rf"(?<![A-Za-z0-9_]){re.escape(text.casefold())}(?![A-Za-z0-9_])"
        return re.search(word, self.folded) is not None

    def ends_with_term(self, text: str) -> bool:
        return any(m.end == len(text) for m in self.glossary.find(text))


# -- Han n-grams ---------------------------------------------------------------------------------
def _runs(seg: str) -> Iterator[str]:
    """The Han runs of a segment, without the measure word after a number (3 个月 -> 月)."""
    for m in _HAN_RUN.finditer(seg):
        run = m.group()
        if _AFTER_DIGIT.search(seg, 0, m.start()):
            run = run[1:] if run[0] in _MEASURE else run
        yield run


def _ngrams(texts: Sequence[Sequence[str]], floor: int, covered: _Coverage) -> dict[str, tuple[int, int]]:
    counts: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    for segs in texts:
        here: Counter[str] = Counter()
        for seg in segs:
            for run in _runs(seg):
                n = len(run)
                for k in range(2, min(_MAX_N + 1, n) + 1):  # one wider than kept, to see the neighbours
                    here.update(run[i : i + k] for i in range(n - k + 1))
        counts.update(here)
        posts.update(here.keys())
    keep = {g: c for g, c in counts.items() if c >= floor and len(g) <= _MAX_N and _name_like(g)}
    wider: dict[str, tuple[list[int], list[int]]] = {}  # g -> counts of the n-grams one wider, left / right
    kept_wider: Counter[str] = Counter()
    for g, c in counts.items():
        if len(g) < 3:
            continue
        for part, side in ((g[1:], 0), (g[:-1], 1)):
            if part in keep:
                wider.setdefault(part, ([], []))[side].append(c)
                if g in keep:
                    kept_wider[part] = max(kept_wider[part], c)
    out = {}
    for g, c in keep.items():
        left, right = wider.get(g, ([], []))
        if kept_wider[g] >= c * _MAXIMAL or max(left + right, default=0) >= c * _FRAGMENT:
            continue
        if min(_variety(left, c), _variety(right, c)) < min(_VARIETY, 0.6 * c):
            continue
        if not covered(g):
            out[g] = (c, posts[g])
    return out


def _variety(neighbours: list[int], count: int) -> float:
    """The effective number of different neighbours on one side (exp of the entropy); each
    occurrence at the edge of a run counts as a neighbour of its own."""
    edge = max(count - sum(neighbours), 0)
    total = sum(neighbours) + edge
    h = -sum(n / total * math.log(n / total) for n in neighbours if n)
    h += edge * (1 / total) * math.log(total) if total else 0.0
    return math.exp(h)


def _name_like(g: str) -> bool:
    """A Han string that could be a name or a term rather than a phrase or an everyday word."""
    if (
        g[0] in _START
        or g[-1] in _END
        or g[0] in _NUMERALS
        or g[-1] in _NUMERALS
        or "第" in g
        or any(ch in _INSIDE for ch in g)
    ):
        return False
    n = len(g)
    function = [False] * n
    for i in range(n):
        for k in (4, 3, 2):
            if i + k <= n and g[i : i + k] in _FUNCTION:
                if i == 0 or i + k == n:
                    return False
                function[i : i + k] = [True] * k
    return sum(function) * 2 < n and not _splits(g)


def _splits(g: str, known: Container[str] = frozenset()) -> bool:
    """Whether `g` is a row of everyday words and `known` words other than itself (glue
    particles allowed between them): a phrase, not a name of its own."""
    n = len(g)
    reach = [True] + [False] * n
    for i in range(n):
        if not reach[i]:
            continue
        for k in range(2, min(_MAX_N, n - i) + 1):
            w = g[i : i + k]
            if w in _COMMON or w in _FUNCTION or (w != g and w in known):
                reach[i + k] = True
        if 0 < i < n - 1 and g[i] in _GLUE:
            reach[i + 1] = True
    return reach[n]


# -- Latin names ---------------------------------------------------------------------------------
def _latin(texts: Sequence[Sequence[str]], floor: int, covered: _Coverage) -> dict[str, tuple[int, int]]:
    counts: Counter[str] = Counter()
    posts: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    lower: Counter[str] = Counter()  # single words written all in lower case
    for segs in texts:
        here: Counter[str] = Counter()
        for seg in segs:
            for m in _LATIN_RUN.finditer(seg):
                words = m.group().split(" ")
                for w in words:
                    if w.islower():
                        lower[w] += 1
                for i in range(len(words)):
                    for k in range(1, _MAX_LATIN + 1):
                        name = words[i : i + k]
                        if len(name) < k or not all(_latin_name_like(w) or _acronym(w) for w in name):
                            break
                        if any(map(_latin_name_like, name)):  # AI Studio, not AI alone
                            here[" ".join(name).casefold()] += 1
                            spellings[" ".join(name)] += 1
        counts.update(here)
        posts.update(here.keys())
    best: dict[str, str] = {}
    for spelling, _ in spellings.most_common():
        best.setdefault(spelling.casefold(), spelling)
    for key in [k for k in counts if k.endswith("s") and _acronym(best.get(k[:-1], ""))]:
        counts[key[:-1]] += counts.pop(key)  # LLMs is LLM
        posts[key[:-1]] = max(posts[key[:-1]], posts[key])
    # a Capitalized word that is also written in lower case is a word, not a name (Attention, Model)
    keep = {
        key: c
        for key, c in counts.items()
        if c >= floor and posts[key] >= 2 and not (_capitalized(best[key]) and lower[key] * 4 >= c)
    }
    longest: Counter[str] = Counter()
    for key, c in keep.items():
        words = key.split(" ")
        for part in (words[1:], words[:-1]):
            if part:
                longest[" ".join(part)] = max(longest[" ".join(part)], c)
    return {
        best[key]: (c, posts[key])
        for key, c in keep.items()
        if longest[key] < c * _MAXIMAL and not covered(best[key])
    }


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


def _capitalized(word: str) -> bool:
    return " " not in word and word[:1].isupper() and word[1:].islower() and word[1:].isalpha()


def _latin_name_like(tok: str) -> bool:
    if tok.startswith("@"):
        return len(tok) > 2
    if len(tok) < 2 or tok.casefold() in _LATIN_STOP:
        return False
    return tok[0].isupper() or any(ch.isupper() or ch.isdigit() for ch in tok[1:])


# -- inline glosses ------------------------------------------------------------------------------
def _glosses(texts: Sequence[Sequence[str]], covered: _Coverage) -> dict[str, str]:
    """Han form -> its most frequent English gloss."""
    seen: dict[str, Counter[str]] = {}
    for segs in texts:
        for seg in segs:
            for m in _ZH_EN.finditer(seg):
                zh, en = _gloss_han(m.group(1)), m.group(2).strip()
                if zh and _gloss_english(en) and not covered.ends_with_term(zh) and not covered(zh):
                    seen.setdefault(zh, Counter())[en] += 1
            for m in _EN_ZH.finditer(seg):
                words = m.group(1).split(" ")
                while words and words[0].casefold() in _LATIN_STOP:
                    words.pop(0)
                zh = m.group(2)
                if words and _name_like(zh) and not covered(zh):
                    seen.setdefault(zh, Counter())[" ".join(words)] += 1
    return {zh: c.most_common(1)[0][0] for zh, c in seen.items()}


def _gloss_english(en: str) -> bool:
    """Looks like a translation: one name, or words of which one is an ordinary word (not
    `A100 GPU`, a remark in brackets)."""
    words = en.split()
    if len(words) == 1:
        return any(ch.isalpha() for ch in en)
    return len(words) <= 8 and any(w.isalpha() and len(w) >= 3 and not w.isupper() for w in words)


def _gloss_han(run: str) -> str:
    """The end of a Han run that a following gloss is about: after the last function word."""
    cut = 0
    for i in range(len(run)):
        if run[i] in _CUT or run[i] in _NUMERALS:
            cut = i + 1
        for k in (4, 3, 2):
            if run[i : i + k] in _FUNCTION:
                cut = max(cut, i + k)
    zh = run[cut:]
    return zh if 2 <= len(zh) <= 16 and _name_like(zh) else ""


# -- output --------------------------------------------------------------------------------------
def _example(joined: Sequence[str], term: str, width: int = 30) -> str:
    """The sentence around the first occurrence of `term`, cut to about 2 * width characters."""
    if _HAN_RUN.search(term):
        pattern = re.compile(re.escape(term))
    else:
        pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(term)}(?![A-Za-z0-9_])")
    for text in joined:
        found = pattern.search(text)
        if found is None:
            continue
        i = found.start()
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, i)]
        a = max(starts[-1] if starts else 0, i - width)
        m = _SENTENCE_END.search(text, i + len(term))
        b = min(m.end() if m and m.group() != "\n" else m.start() if m else len(text), i + len(term) + width)
        cut = a > 0 and not _SENTENCE_END.match(text[a - 1])
        return ("…" if cut else "") + text[a:b].strip().lstrip("：:，,、；;）)").lstrip()
    return ""


def to_tsv(cands: Sequence[Candidate]) -> str:
    """Candidates as tab-separated values with a header row (tabs and newlines in values become spaces)."""
    rows = ["term\tcount\tposts\tkind\tsuggestion\texample"]
    for c in cands:
        cells = [c.term, str(c.count), str(c.posts), c.kind, c.suggestion, c.example]
        rows.append("\t".join(re.sub(r"\s*[\t\r\n]+\s*", " ", x) for x in cells))
    return "\n".join(rows) + "\n"


def to_yaml(cands: Sequence[Candidate], source_locale: str = "zh", target_locale: str = "en") -> str:
    """Candidates as a `terms:` list in the glossary format, to review and paste."""
    lines = ["terms:"]
    for c in cands:
        lines.append(f"  - {source_locale}: {_scalar(c.term)}")
        if c.kind == "latin":
            lines.append("    dnt: true")
        elif c.suggestion:
            lines.append(f"    {target_locale}: {_scalar(c.suggestion)}")
        else:
            lines.append(f'    {target_locale}: ""  # TODO')
        posts = f"{c.posts} post" + ("" if c.posts == 1 else "s")
        note = f"candidate: {c.count} occurrences in {posts}; e.g. {c.example}"
        lines.append(f"    note: {_scalar(note, plain=False)}")
    return "\n".join(lines) + "\n"


def _scalar(value: str, plain: bool = True) -> str:
    """`value` as a YAML scalar: plain when that reads back as the same string, else double-quoted."""
    import json  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    if plain and re.fullmatch(rf"[\w{_HAN}][\w{_HAN} .+-]*", value) and value == value.strip():
        if yaml.safe_load(value) == value:
            return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
