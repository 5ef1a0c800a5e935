/* juesuan: the command dispatcher. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
    {"tables", cmd_tables, "编制九张公开表并输出（文本、JSON、CSV、长表）",
     "用法：juesuan tables 工作簿目录 [--profile 配置] [--unit 单位] [--format text|json|csv|long]\n"
     "                     [--output 文件] [--data 数据目录]\n\n"
     "从工作簿编制配置规定的各张公开表，输出到标准输出（或 --output 指定的文件）。\n"
     "只读取这些表用到的工作表（例如默认配置不读年初预算 budget.csv）；全面检查工作簿请用 juesuan check。\n"
     "  --profile, -p  地区模板（默认取工作簿“部门信息”中的“配置”，再默认 default）\n"
     "  --unit, -u     只编制一个单位的表（单位名称或在单位表中的序号）\n"
     "  --format, -f   text：按报告版式对齐的文本（默认）；json：结构化数据；\n"
     "                 csv：每张表按版式输出为CSV；long：开放数据长表\n"
     "                 （table,row,code,name,column,value）\n"
     "  --output, -o   写入文件（先写临时文件再改名，出错时不留下文件）\n"},
    {"build", cmd_build, "生成全部输出文件到一个目录",
     "用法：juesuan build 工作簿 -o 输出目录 [--profile 配置] [--unit 单位] [--force]\n"
     "                    [--draft] [--only 种类,…] [--data 数据目录] [-q|-v]\n"
     "      juesuan build 多个工作簿所在目录 -o 输出目录 [--jobs N] [其他选项同上]\n\n"
     "先审核（同 juesuan check），再编制并写出目前支持的全部输出：tables.json、tables.txt、\n"
     "tables-long.csv、tables.xlsx、每张表一个CSV（table-01.csv …）、报告 report.html、report.pdf、\n"
     "report.md、绩效自评 performance.json、审核结果 audit.json、audit.txt、公开评分 score.json\n"
     "以及开放数据的财政数据包 datapackage.json 和 fiscal-data.csv。--draft：情况说明中缺少文字之处显示为【待补充：…】。\n"
     "--only 只写出所列种类：json,txt,long,csv,md,html,pdf,xlsx,performance,audit,score,fdp。\n"
     "审核有错误时不写出任何文件，退出码 1；加 --force 仍然写出，但每个输出都标明“未通过审核”。\n"
     "全部写成功后才替换目标文件；出错时不留下部分输出。成功时在标准输出打印输出目录\n"
     "（-q 不打印；-v 另在标准错误列出写出的各文件及其字节数）。\n\n"
     "批量：工作簿位置是一个目录、其中每个子目录（含 department.csv）或 .xlsx 文件是一个部门时，\n"
     "逐个审核并写出 输出目录/部门名/…（审核有错误的部门不写出，除非 --force）、\n"
     "各部门汇总表 输出目录/汇总/（年度不同时按年度分：汇总-2024/ …）和 summary.txt、summary.json。\n"
     "无法读取的部门列出原因后跳过，不影响其他部门。--jobs N 线程数（默认 CPU 核数）。\n"
     "-q 不显示进度条；-v 每个部门完成时在标准错误打印一行：[完成数/部门数] 名称 部门名称：结果\n"
     "（错误、核实、提示条数），用时。\n"},
    {"check", cmd_check, "审核：勾稽关系和工作簿检查",
     "用法：juesuan check 工作簿目录|tables.json|报告.pdf|报告.txt [--profile 配置] [--format text|json|csv]\n"
     "                    [--output 文件] [--data 数据目录]\n"
     "      juesuan check 多个工作簿所在目录 [--output 目录] [--format text|json] [--jobs N] [-q|-v]\n\n"
     "对工作簿：先检查明细数据（科目、资金性质、结转结余、重复行、负数、预算差异原因），\n"
     "并列出情况说明中缺少文字（text.csv、budget.csv 差异原因）的句子，\n"
     "再编制各表并按配置的审核规则逐条核对（精确到分，相等才算相等）。\n"
     "对 tables.json（juesuan tables --format json 的输出，可手工修改）：按印刷数核对，\n"
     "n 个四舍五入的印刷数构成的等式允许相差 0.01×⌊(n−1)/2⌋ 万元，在此范围内的差额列为“提示”（尾数误差）。\n"
     "对已公开的报告（PDF 或文本，见 juesuan read）：读回各表按印刷数核对，并核对情况说明中的\n"
     "金额、百分比（按四舍五入区间重算，截断单独指出）、增减方向、分项之和、空表说明和模板残留文字，\n"
     "问题注明页码并引用原句。目录中是报告文件（.pdf、.txt）时逐份审核并按规则汇总（--jobs N）。\n"
     "列出全部问题：错误（不得公开）、核实（需书面说明）、提示。\n"
     "退出码：0 无错误；1 有错误；2、3、4 见 juesuan help。\n\n"
     "批量：工作簿目录下每个子目录（含 department.csv）或 .xlsx 文件是一个部门时，逐个审核，\n"
     "打印汇总（通过、未通过、无法读取的部门数，按规则统计的问题数），并编制、审核各部门汇总表。\n"
     "--output 目录：写出每个部门的 audit.txt、audit.json，汇总表（汇总/）和 summary.txt、summary.json。\n"
     "--format json 打印 summary.json。--jobs N 线程数（默认 CPU 核数）。无法读取的部门列出原因后跳过，\n"
     "退出码为 3；否则有部门审核有错误时为 1。\n"},
    {"score", cmd_score, "公开评分：按及时性、完整性、真实性、细化程度、公开形式逐项评分",
     "用法：juesuan score 工作簿|tables.json [--profile 配置] [--unit 单位] [--format text|json]\n"
     "                    [--approved 批复日期] [--published 公开日期] [--output 文件] [--data 数据目录]\n\n"
     "先审核，再按配置的评分定义（score.json，见 docs/score.md）逐项评分：每项为“通过”“未通过”\n"
     "或“无法判断”，并说明理由。缺少所需的输入（如未给出批复日期，或只有 tables.json 而没有工作簿）\n"
     "的评分项为“无法判断”，不计入可判断的分数，也不算未通过。\n"
     "  --approved, -a   财政部门批复日期（YYYY-MM-DD），用于判断是否在法定期限内公开\n"
     "  --published, -P  公开日期（默认取工作簿“部门信息”中的“公开日期”）\n"
     "  --format, -f     text（默认）或 json（与 build 写出的 score.json 相同）\n"
     "  --output, -o     写入文件（先写临时文件再改名，出错时不留下文件）\n"},
    {"user", cli_portal_user, "门户用户：添加、改密码、停用、授权、列出",
     "用法：juesuan user add 用户名 --role 角色[,角色…] [--dept 部门代码] [--display 姓名]\n"
     "                       [--password-stdin] [--db 数据库]\n"
     "      juesuan user passwd 用户名 [--password-stdin] [--db 数据库]\n"
     "      juesuan user disable 用户名 [--enable] [--db 数据库]\n"
     "      juesuan user grant 用户名 --role 角色[,角色…] [--dept 部门代码] [--db 数据库]\n"
     "      juesuan user list [--db 数据库]\n\n"
     "管理门户的用户（docs/store.md）。角色：填报（只能上传、提交本部门的数据，须用 --dept 指定部门）、\n"
     "审核、发布、管理；多个角色用逗号分隔。\n"
     "密码在终端上输入两次（不回显），或用 --password-stdin 从标准输入读一行；不接受命令行上的密码。\n"
     "密码至少 8 个字符，以 argon2id 哈希保存。passwd、disable、grant 使该用户已登录的会话失效；\n"
     "disable --enable 重新启用。每次改动记入审计日志。\n"
     "  --db           SQLite 数据库文件（默认 juesuan.db）或 postgresql://… 地址\n"},
    {"dept", cli_portal_dept, "门户部门：添加、列出",
     "用法：juesuan dept add 代码 名称 [--profile 配置] [--db 数据库]\n"
     "      juesuan dept list [--db 数据库]\n\n"
     "代码用于网址，只能由小写字母、数字和“-”组成（如 qingshan-slj）；名称与工作簿中的部门名称一致。\n"
     "  --profile      该部门报告使用的配置（默认 default）\n"
     "  --db           SQLite 数据库文件（默认 juesuan.db）或 postgresql://… 地址\n"},
    {"log", cli_portal_log, "门户审计日志：校验哈希链、列出",
     "用法：juesuan log verify [--db 数据库]\n"
     "      juesuan log list [--after 序号] [--limit 条数] [--db 数据库]\n\n"
     "审计日志只能追加，每条带前一条的 SHA-256。verify 逐条核对，发现被改动、删除或插入的记录时\n"
     "指出第一条有问题的序号，退出码 1。list 列出序号大于 --after 的记录（默认最多 100 条）。\n"
     "  --db           SQLite 数据库文件（默认 juesuan.db）或 postgresql://… 地址\n"},
    {"read", cmd_read, "读回已公开的决算报告（PDF 或文本）中的表格",
     "用法：juesuan read 报告.pdf|报告.txt [--profile 配置] [--format json|tables] [--output 文件]\n"
     "                   [--data 数据目录]\n\n"
     "从已公开的部门决算报告中读回各张公开表，写成 tables.json（与 juesuan tables --format json\n"
     "同一格式，金额为印刷的万元数，可交给 juesuan check 审核），并附情况说明各节的文字和页码。\n"
     "PDF 的文字由 poppler 的 pdftotext 取出（需安装 poppler-utils）；扫描图像（没有文字层）不能读取。\n"
     "  --profile, -p  报告的版式（默认：按各配置的表名自动选择能认出最多表的配置）\n"
     "  --format, -f   json：表格和情况说明（默认）；tables：只有表格\n"
     "  --output, -o   写入文件（先写临时文件再改名，出错时不留下文件）\n"
     "文件不是可读的决算报告（扫描件、加密、不是报告、版式未知）时说明原因，退出码 3。\n"},
    {"convert", cmd_convert, "工作簿在 CSV 目录和 Excel（.xlsx）之间转换",
     "用法：juesuan convert 工作簿目录 -o 工作簿.xlsx|-\n"
     "      juesuan convert 工作簿.xlsx|.xls|.et -o 工作簿目录\n\n"
     "CSV 目录转为一个 .xlsx（每个工作表一页，表头带说明批注，可选值有下拉列表；-o - 写到标准输出），\n"
     "或把 .xlsx、.xls（Excel 97-2003）、.et（WPS）转为 CSV 目录（UTF-8 带 BOM，供 Excel 打开）。\n"
     "所有接受工作簿目录的命令也直接接受 .xlsx、.xls、.et 文件；CSV 目录中的工作表也可按中文表名命名（支出.csv）。\n"},
    {"template", cmd_template, "生成空白工作簿模板",
     "用法：juesuan template -o 目录|文件.xlsx [--force]\n\n"
     "写出工作簿的全部工作表（表头和一行示例）以及“填写说明.txt”；\n"
     "目标以 .xlsx 结尾时写出一个 Excel 工作簿（表头批注说明各列，可选值有下拉列表）。\n"
     "目录已有文件时拒绝写入，以免覆盖已填写的工作簿；--force 强制覆盖。\n"},
    {"serve", cli_portal_serve, "启动决算公开门户（网页：上传、审核、发布、公开查阅）",
     "用法：juesuan serve [--db 数据库] [--listen 地址:端口] [--workers N] [--demo]\n"
     "                    [--behind-https] [--trusted-proxy 地址] [--max-upload MB] [--data 数据目录]\n"
     "                    [--region 地区名称]\n\n"
     "启动网页门户（docs/portal.md）。各部门上传工作簿并立即审核，财政部门审核、退回或通过，\n"
     "发布人员发布；公众查阅已公开的版本。\n"
     "  --db           SQLite 数据库文件（默认 juesuan.db）或 postgresql://… 地址\n"
     "  --listen       监听地址和端口（默认 127.0.0.1:8080；端口 0 为任选空闲端口）\n"
     "  --workers      工作线程数（默认 2）\n"
     "  --demo         写入演示数据（两个示例部门、一个生成的小地区、每个角色一个演示用户，\n"
     "                 打印其密码）；未给 --db 时使用新的临时数据库\n"
     "  --behind-https 在 HTTPS 反向代理之后运行：会话 Cookie 为 __Host-sid（Secure）\n"
     "  --trusted-proxy 信任此地址发来的 X-Forwarded-Proto、X-Forwarded-For\n"
     "  --max-upload   上传文件大小上限（MB，默认 32）\n"
     "  --region       本门户所属地区的名称（数据接口 /api/v1/regions；--demo 时默认“演示地区”）\n"
     "  --routes       列出全部网址及所需角色后退出\n"},
    {"help", cmd_help, "显示帮助", "用法：juesuan help [命令|templates]\n\n“juesuan help templates”列出报告模板语言的函数（docs/templates.md）。\n"},
    {NULL, NULL, NULL, NULL},
};

static void overview(FILE *f)
{
    fprintf(f, "juesuan %s — 部门决算公开编制与审核\n\n用法：juesuan 命令 [参数]\n\n命令：\n",
            JUESUAN_VERSION);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n选项：--help、-h 显示帮助，--version、-V 显示版本。各命令的 -o - 写到标准输出，\n"
               "-q（--quiet）不显示进度、成功时不打印输出位置；-v（--verbose）逐项显示：build 列出写出的文件，\n"
               "批量模式每个部门完成时打印一行（结果、问题条数、用时）。\n"
               "“juesuan help 命令”显示该命令的用法。\n\n"
               "退出码：0 成功；1 审核发现问题；2 用法错误；3 输入数据有误；4 读写失败或内部错误。\n");
}

int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        overview(stdout);
        return EXIT_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++) {
        if (!strcmp(c->name, argv[1])) {
            fputs(c->usage, stdout);
            return EXIT_OK;
        }
    }
    if (!strcmp(argv[1], "templates")) {
        const char *names[64], *docs[64];
        int min[64], max[64];
        size_t n = js_report_template_functions(names, min, max, docs, 64);
        for (size_t i = 0; i < n && i < 64; i++)
            printf("%s\t%d-%d\t%s\n", names[i], min[i], max[i], docs[i]);
        return EXIT_OK;
    }
    fprintf(stderr, "juesuan: 没有命令 '%s'\n", argv[1]);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    /* this program reads .xls files for itself in a fresh child
     * (js_xls_reader_set); that child starts here */
    if (argc == 3 && !strcmp(argv[1], "__xls-read"))
        return js_xls_reader_main(argv[2]);
    js_xls_reader_set("/proc/self/exe");
    if (argc < 2) {
        overview(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return cmd_help(1, argv);
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("juesuan %s\n", JUESUAN_VERSION);
        return EXIT_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++) {
        if (strcmp(c->name, argv[1]) != 0)
            continue;
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                fputs(c->usage, stdout);
                return EXIT_OK;
            }
        }
        return c->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "juesuan: 没有命令 '%s'（见 juesuan --help）\n", argv[1]);
    return EXIT_USAGE;
}
