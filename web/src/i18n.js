// Hand-made i18n: one messages object per language, 简体中文 by default, the choice kept in
// localStorage. t('a.b', {n: 1}) looks the key up in the current language, then in zh,
// and fills {n}-style placeholders.
import { ref } from 'vue'

const STORAGE_KEY = 'shumao.lang'

const messages = {
  zh: {
    app: {
      name: '数贸',
      title: '跨境电商综试区线上综合服务平台',
      lang: 'English',
      langTitle: 'Switch to English',
      loading: '加载中…',
      busy: '正在处理，请稍候…',
      retry: '重试',
      none: '暂无数据',
      close: '关闭',
      refresh: '刷新',
      query: '查询',
      download: '下载',
      prev: '上一页',
      next: '下一页',
      page: '第 {n} 页',
      notLoggedIn: '未登录',
      needLogin: '此页面需要登录。',
      goLogin: '去登录',
      needEnterprise: '企业门户需要企业令牌（当前身份：{who}）。',
      needDepartment: '部门工作台需要部门用户令牌（当前身份：{who}）。',
      errorPrefix: '出错了',
      field: '字段',
      code: '错误代码',
      networkError: '无法连接服务器：{msg}',
      fullscreen: '全屏',
    },
    nav: {
      overview: '数据大屏',
      portal: '企业门户',
      department: '部门工作台',
      login: '登录',
      account: '我的账户',
    },
    login: {
      title: '令牌登录',
      intro: '粘贴平台为您签发的令牌（shumao enterprise add 或 shumao user add 输出的 token）。令牌只保存在本浏览器中，并以 Authorization: Bearer 头发送。',
      token: '令牌',
      placeholder: '粘贴令牌…',
      submit: '登录',
      logout: '退出登录',
      who: '当前身份',
      kind: '类型',
      enterprise: '企业',
      department: '部门用户',
      code: '企业代码',
      name: '名称',
      roles: '备案角色',
      zone: '所属综试区',
      dept: '所属部门',
      loggedOut: '已退出登录。',
      empty: '请先粘贴令牌。',
      goPortal: '进入企业门户',
      goDepartment: '进入部门工作台',
    },
    roles: {
      ebp: '电商平台', ebc: '电商企业', agent: '申报企业', logistics: '物流企业',
      payment: '支付企业', warehouse: '仓储企业', operator: '平台运营方',
    },
    departments: {
      customs: '海关', tax: '税务', fx: '外汇', commerce: '商务', market: '市场监管',
      security: '公安', admin: '管委会',
    },
    overview: {
      title: '跨境电商综试区数据大屏',
      range: '统计区间',
      last12: '近12个月',
      thisYear: '本年',
      last30: '近30天',
      allZones: '全部园区',
      zone: '园区',
      updated: '更新于 {t}',
      privateNotice: '数据大屏未公开，请先登录。',
      kpi: {
        value: '进出口总额',
        lists: '清单票数',
        import: '进口额',
        export: '出口额',
        tax: '税款',
        clearance: '通关时长 P50 / P95',
        risk: '风险命中',
        parcels: '包裹数',
        returns: '退货',
      },
      linesSub: '商品 {n} 项',
      listsSub: '进口 {i} · 出口 {e}',
      trend: '月度进出口趋势',
      split: '进出口结构',
      modes: '贸易方式',
      map: '贸易国别（地区）分布',
      mapExport: '出口目的地',
      mapImport: '进口来源地',
      top: '前 {n} 名',
      chapters: '重点商品（HS 章）',
      clearance: '月度通关时长',
      riskRule: '风险命中（按规则）',
      riskMonth: '风险命中（按月）',
      days: '近30天每日申报',
      enterprises: '重点企业排名',
      rank: '排名',
    },
    series: {
      import: '进口', export: '出口', value: '货值', lists: '票数', hits: '命中',
      p50: 'P50 中位数', p95: 'P95',
    },
    units: {
      yuan: '元', wan: '万元', yi: '亿元', hour: '小时', minute: '分钟', second: '秒', day: '天',
      lists: '票',
    },
    modes: {
      '9610': '9610 直购', '1210': '1210 保税', '1239': '1239 保税A', '9710': '9710 B2B直接出口',
      '9810': '9810 海外仓', '0110': '0110 一般贸易',
    },
    rules: {
      split_order: '拆单', identity_misuse: '身份冒用', shared_contact: '刷单（共用联系方式）',
      undervaluation: '低报价格', name_hs_mismatch: '品名与编码不符', not_on_positive_list: '非正面清单',
      prohibited_goods: '禁止进境', restricted_goods: '限制进境', weight_mismatch: '重量异常',
      return_rate: '退货率异常', late_documents: '单证迟到',
    },
    severity: { high: '高', medium: '中', low: '低' },
    regimes: { retail: '跨境零售（关税 0，增值税、消费税按 70%）', 'retail-full': '跨境零售全额征税', refused: '不适用零售渠道' },
    lanes: { inspect: '查验', review: '人工审核', release: '放行', audit: '后续稽核' },
    status: {
      '1': '已暂存', '2': '申报中', '3': '已发送海关', '4': '发送失败', '100': '海关退单',
      '120': '海关入库', '300': '人工审核', '399': '海关审结', '500': '查验', '501': '扣留移送通关',
      '502': '扣留移送缉私', '503': '扣留移送法规', '599': '其它扣留', '700': '退运',
      '800': '放行', '899': '结关',
    },
    kinds: {
      inventories: '清单', orders: '订单', payments: '支付单', waybills: '运单',
      cancels: '撤销单', returns: '退货单', summaries: '汇总单',
    },
    portal: {
      title: '企业门户',
      tabs: {
        documents: '我的单证', receipts: '回执', taxbill: '电子税单', summaries: '汇总申报',
        stats: '我的统计', upload: '上传报文', order: '在线下单',
      },
      doc: {
        id: '序号', key: '单证编号', altKey: '海关编号', status: '状态', returnInfo: '回执信息', messageType: '报文',
        updated: '更新时间', detail: '单证详情', history: '状态历史', time: '时间', info: '说明',
        document: '单证内容', clickHint: '点击一行查看详情与状态历史。', taxbill: '查看税单',
      },
      receipts: {
        cursor: '游标', type: '回执类型', returnStatus: '回执状态', returnInfo: '回执信息',
        keys: '单证', xml: '报文', more: '加载更多', hint: '异步回执（如清单的 120 / 399 / 800）按顺序列出。',
      },
      taxbill: {
        invtNo: '清单编号（invtNo）', lookup: '查询税单', taxNo: '税单号', status: '税单状态',
        regime: '征税方式', customsTax: '关税', valueAddedTax: '增值税', consumptionTax: '消费税',
        taxTotal: '应征税额', paid: '已缴', assureCode: '担保企业', released: '放行时间',
        lines: '税单明细', gnum: '项号', gcode: '商品编码', qty: '数量', taxPrice: '完税价格',
        xml: '下载 CEB816 报文',
      },
      summaries: {
        intro: '按月汇总已结关（899）的 9610 出口清单，生成汇总申请单（CEB701）。',
        ebcCode: '电商企业代码', month: '汇总月份', submit: '生成汇总申报',
        deadline: '申报期限', overdue: '已逾期', onTime: '未逾期', declSeqNo: '汇总申请编号',
        trafMode: '运输方式', country: '运抵国', portCode: '口岸', items: '商品项',
        lists: '清单数', gseqno: '序号', gcode: '商品编码', qty: '数量', totalPrice: '总价',
        none: '该月没有可汇总的清单。',
      },
      stats: { intro: '本企业的统计数据（服务器只返回本企业 ebcCode 的数据）。' },
      upload: {
        intro: '上传 ERP 生成的 CEB 报文（XML 或 JSON），平台同步返回回执。',
        choose: '选择文件', send: '发送', format: '格式', receipt: '同步回执',
        returnStatus: '回执状态', returnInfo: '回执信息', ok: '已受理', refused: '被拒绝',
        noFile: '请选择 .xml 或 .json 文件。',
      },
      order: {
        intro: '无 ERP 的小卖家可在此填写一票进口订单（CEB311），平台生成报文并发送。带 * 的为必填项。',
        head: '订单表头', lines: '商品明细', base: '传输企业', addLine: '添加商品', removeLine: '删除',
        submit: '提交订单', reset: '重新填写', preview: '报文预览（JSON）', sent: '订单已受理',
        refused: '订单被拒绝', missing: '请填写必填项：{f}',
      },
    },
    fields: {
      orderNo: '订单编号', ebpCode: '电商平台代码', ebpName: '电商平台名称', ebcCode: '电商企业代码',
      ebcName: '电商企业名称', goodsValue: '商品价格', freight: '运杂费', discount: '非现金抵扣',
      taxTotal: '代扣税款', acturalPaid: '实际支付金额', currency: '币制', buyerRegNo: '订购人注册号',
      buyerName: '订购人姓名', buyerTelephone: '订购人电话', buyerIdType: '证件类型',
      buyerIdNumber: '订购人身份证号', payCode: '支付企业代码', payName: '支付企业名称',
      payTransactionId: '支付交易编号', batchNumbers: '商品批次号', consignee: '收货人',
      consigneeTelephone: '收货人电话', consigneeAddress: '收货地址', consigneeDistrict: '行政区划代码',
      note: '备注', gnum: '项号', itemNo: '商品货号', itemName: '商品名称', gmodel: '规格型号',
      itemDescribe: '商品描述', barCode: '条形码', unit: '计量单位', qty: '数量', price: '单价',
      totalPrice: '总价', country: '原产国（地区）', copCode: '传输企业代码', copName: '传输企业名称',
      dxpMode: '传输模式', dxpId: '传输编号', appTime: '报送时间',
    },
    dept: {
      title: '部门工作台',
      tabs: { risk: '风险命中', alerts: '税款预警', stats: '统计分析', report: '月度报告', evaluation: '综试区评估' },
      risk: {
        time: '时间', rule: '规则', severity: '风险等级', lane: '通道', direction: '方向',
        document: '清单', ebcCode: '电商企业', explanation: '说明', from: '起', to: '止', limit: '条数',
      },
      alerts: { time: '时间', kind: '类型', enterprise: '担保企业', invtNo: '清单编号', message: '内容' },
      alertKinds: {
        'no-guarantee': '无担保', 'guarantee-short': '担保不足', 'tax-unpaid': '税款未缴', 'tax-overdue': '税款逾期',
      },
      stats: {
        measure: '指标', by: '维度', from: '开始日期', to: '结束日期', direction: '方向', tradeMode: '贸易方式',
        ebcCode: '电商企业代码', any: '全部', key: '分组', value: '数值', csv: '下载 CSV',
      },
      report: {
        month: '报告月份', show: '查看报告', xlsx: '下载 Excel', csv: '下载 CSV', totals: '总量',
        growth: '增长', mom: '环比', yoy: '同比',
      },
      evaluation: {
        year: '评估年度', show: '查看评估', score: '综合得分', indicator: '指标', value: '实际值',
        target: '目标值', weight: '权重', indScore: '得分', unit: '单位', chart: '各指标得分对比',
        total: '综合得分对比',
      },
    },
    measures: {
      lists: '放行清单数', value_cny: '货值（人民币）', value_usd: '货值（美元）', tax_cny: '税款',
      parcels: '包裹数', lines: '商品项数', returns: '退货数', risk_hits: '风险命中数',
      clearance_seconds_p50: '通关时长 P50（秒）', clearance_seconds_p95: '通关时长 P95（秒）',
    },
    by: {
      day: '日', month: '月', tradeMode: '贸易方式', direction: '进出口方向', country: '国别（地区）',
      hsChapter: 'HS 章', ebcCode: '电商企业', status: '状态', zone: '园区',
    },
    direction: { import: '进口', export: '出口' },
    reportCols: {
      direction: '方向', tradeMode: '贸易方式', code: '代码', name: '名称', name_zh: '名称', name_en: '英文名称',
      month: '月份', zone: '园区', country: '国别（地区）', share: '占比', iso2: 'ISO2', iso3: 'ISO3',
      value_cny: '货值（元）', import_value_cny: '进口额（元）', export_value_cny: '出口额（元）',
      warehouse: '海外仓', park: '园区', area_m2: '面积（㎡）', ebcCode: '电商企业', operator: '运营方',
      import_lists: '进口清单数', export_lists: '出口清单数', return_value_cny: '退货金额（元）', refused: '退单数',
      id: '项目', value: '数值', export_yoy: '出口同比', import_yoy: '进口同比', export_mom: '出口环比',
      import_mom: '进口环比', growth_mom: '环比', growth_yoy: '同比',
    },
    reportKeys: {
      modes: '贸易方式', countries: '国别（地区）', chapters: '商品（HS 章）', enterprises: '企业',
      overseasWarehouses: '海外仓', parks: '园区', summary: '汇总指标',
    },
  },
  en: {
    app: {
      name: 'Shumao',
      title: 'Cross-border e-commerce zone service platform',
      lang: '中文',
      langTitle: '切换到简体中文',
      loading: 'Loading…',
      busy: 'Working, please wait…',
      retry: 'Retry',
      none: 'No data',
      close: 'Close',
      refresh: 'Refresh',
      query: 'Query',
      download: 'Download',
      prev: 'Previous',
      next: 'Next',
      page: 'Page {n}',
      notLoggedIn: 'Not signed in',
      needLogin: 'This page needs a token.',
      goLogin: 'Sign in',
      needEnterprise: 'The enterprise portal needs an enterprise token (you are: {who}).',
      needDepartment: 'The department view needs a department user token (you are: {who}).',
      errorPrefix: 'Error',
      field: 'Field',
      code: 'Code',
      networkError: 'Cannot reach the server: {msg}',
      fullscreen: 'Full screen',
    },
    nav: {
      overview: 'Overview',
      portal: 'Enterprise portal',
      department: 'Department',
      login: 'Sign in',
      account: 'Account',
    },
    login: {
      title: 'Sign in with a token',
      intro: 'Paste the token the platform issued to you (the token printed by shumao enterprise add or shumao user add). It is kept in this browser only and sent as an Authorization: Bearer header.',
      token: 'Token',
      placeholder: 'Paste a token…',
      submit: 'Sign in',
      logout: 'Sign out',
      who: 'Signed in as',
      kind: 'Kind',
      enterprise: 'Enterprise',
      department: 'Department user',
      code: 'Code',
      name: 'Name',
      roles: 'Roles',
      zone: 'Zone',
      dept: 'Department',
      loggedOut: 'Signed out.',
      empty: 'Paste a token first.',
      goPortal: 'Open the enterprise portal',
      goDepartment: 'Open the department view',
    },
    roles: {
      ebp: 'Platform', ebc: 'E-commerce enterprise', agent: 'Declaring agent', logistics: 'Logistics',
      payment: 'Payment', warehouse: 'Warehouse', operator: 'Operator',
    },
    departments: {
      customs: 'Customs', tax: 'Tax', fx: 'Foreign exchange', commerce: 'Commerce',
      market: 'Market supervision', security: 'Public security', admin: 'Zone administration',
    },
    overview: {
      title: 'Cross-border e-commerce zone dashboard',
      range: 'Period',
      last12: 'Last 12 months',
      thisYear: 'This year',
      last30: 'Last 30 days',
      allZones: 'All zones',
      zone: 'Zone',
      updated: 'Updated {t}',
      privateNotice: 'The overview is not public; please sign in.',
      kpi: {
        value: 'Trade value',
        lists: 'Lists',
        import: 'Imports',
        export: 'Exports',
        tax: 'Tax',
        clearance: 'Clearance P50 / P95',
        risk: 'Risk hits',
        parcels: 'Parcels',
        returns: 'Returns',
      },
      linesSub: '{n} goods lines',
      listsSub: 'import {i} · export {e}',
      trend: 'Monthly trade value',
      split: 'Import / export',
      modes: 'Trade modes',
      map: 'Trade by country (region)',
      mapExport: 'Export destinations',
      mapImport: 'Import origins',
      top: 'top {n}',
      chapters: 'Top goods (HS chapter)',
      clearance: 'Clearance time by month',
      riskRule: 'Risk hits by rule',
      riskMonth: 'Risk hits by month',
      days: 'Lists per day, last 30 days',
      enterprises: 'Top enterprises',
      rank: 'Rank',
    },
    series: {
      import: 'Import', export: 'Export', value: 'Value', lists: 'Lists', hits: 'Hits',
      p50: 'P50 median', p95: 'P95',
    },
    units: {
      yuan: 'CNY', wan: '10k CNY', yi: '100M CNY', hour: 'h', minute: 'min', second: 's', day: 'd',
      lists: 'lists',
    },
    modes: {
      '9610': '9610 direct', '1210': '1210 bonded', '1239': '1239 bonded A', '9710': '9710 B2B direct',
      '9810': '9810 overseas warehouse', '0110': '0110 general trade',
    },
    rules: {
      split_order: 'Split order', identity_misuse: 'Identity misuse', shared_contact: 'Order farming',
      undervaluation: 'Undervaluation', name_hs_mismatch: 'Name vs HS code', not_on_positive_list: 'Not on positive list',
      prohibited_goods: 'Prohibited goods', restricted_goods: 'Restricted goods', weight_mismatch: 'Weight mismatch',
      return_rate: 'Return rate', late_documents: 'Late documents',
    },
    severity: { high: 'High', medium: 'Medium', low: 'Low' },
    regimes: { retail: 'Retail (no duty, VAT and consumption tax at 70%)', 'retail-full': 'Retail, full tax', refused: 'Not allowed in retail' },
    lanes: { inspect: 'Inspection', review: 'Review', release: 'Release', audit: 'Audit' },
    status: {
      '1': 'Saved', '2': 'Declared', '3': 'Sent to customs', '4': 'Sending failed', '100': 'Refused',
      '120': 'Accepted by customs', '300': 'Manual review', '399': 'Concluded', '500': 'Inspection',
      '501': 'Detained (clearance)', '502': 'Detained (anti-smuggling)', '503': 'Detained (legal)',
      '599': 'Detained (other)', '700': 'Returned abroad', '800': 'Released', '899': 'Closed',
    },
    kinds: {
      inventories: 'Lists', orders: 'Orders', payments: 'Payments', waybills: 'Waybills',
      cancels: 'Cancels', returns: 'Returns', summaries: 'Summaries',
    },
    portal: {
      title: 'Enterprise portal',
      tabs: {
        documents: 'My documents', receipts: 'Receipts', taxbill: 'Tax bill', summaries: 'Summary declaration',
        stats: 'My statistics', upload: 'Send a file', order: 'New order',
      },
      doc: {
        id: 'ID', key: 'Key', altKey: 'Customs no.', status: 'Status', returnInfo: 'Return info', messageType: 'Message',
        updated: 'Updated', detail: 'Document', history: 'History', time: 'Time', info: 'Info',
        document: 'Content', clickHint: 'Click a row to see the document and its history.', taxbill: 'Tax bill',
      },
      receipts: {
        cursor: 'Cursor', type: 'Type', returnStatus: 'Status', returnInfo: 'Return info',
        keys: 'Document', xml: 'Message', more: 'Load more', hint: 'Asynchronous receipts (such as 120 / 399 / 800 for lists), in order.',
      },
      taxbill: {
        invtNo: 'List number (invtNo)', lookup: 'Look up', taxNo: 'Tax bill no.', status: 'Bill status',
        regime: 'Regime', customsTax: 'Customs duty', valueAddedTax: 'VAT', consumptionTax: 'Consumption tax',
        taxTotal: 'Tax total', paid: 'Paid', assureCode: 'Guarantor', released: 'Released',
        lines: 'Lines', gnum: 'No.', gcode: 'HS code', qty: 'Qty', taxPrice: 'Dutiable value',
        xml: 'Download CEB816',
      },
      summaries: {
        intro: 'Summarises the month\'s closed (899) 9610 export lists into summary declarations (CEB701).',
        ebcCode: 'E-commerce enterprise', month: 'Month', submit: 'Build the summary',
        deadline: 'Deadline', overdue: 'Overdue', onTime: 'On time', declSeqNo: 'Declaration no.',
        trafMode: 'Transport', country: 'Country of arrival', portCode: 'Port', items: 'Items',
        lists: 'Lists', gseqno: 'No.', gcode: 'HS code', qty: 'Qty', totalPrice: 'Total price',
        none: 'No lists to summarise in that month.',
      },
      stats: { intro: 'Your own statistics (the server answers for your ebcCode only).' },
      upload: {
        intro: 'Send a CEB message your ERP produced (XML or JSON); the platform answers with the receipt.',
        choose: 'Choose a file', send: 'Send', format: 'Format', receipt: 'Receipt',
        returnStatus: 'Return status', returnInfo: 'Return info', ok: 'Accepted', refused: 'Refused',
        noFile: 'Choose an .xml or .json file.',
      },
      order: {
        intro: 'For small sellers without an ERP: fill in one import order (CEB311); the platform builds and sends the message. * marks required fields.',
        head: 'Order head', lines: 'Goods', base: 'Sender', addLine: 'Add a line', removeLine: 'Remove',
        submit: 'Send the order', reset: 'Start again', preview: 'Message preview (JSON)', sent: 'Order accepted',
        refused: 'Order refused', missing: 'Fill in the required fields: {f}',
      },
    },
    fields: {
      orderNo: 'Order no.', ebpCode: 'Platform code', ebpName: 'Platform name', ebcCode: 'E-commerce enterprise code',
      ebcName: 'E-commerce enterprise name', goodsValue: 'Goods value', freight: 'Freight', discount: 'Discount',
      taxTotal: 'Tax withheld', acturalPaid: 'Amount paid', currency: 'Currency', buyerRegNo: 'Buyer account',
      buyerName: 'Buyer name', buyerTelephone: 'Buyer phone', buyerIdType: 'ID type',
      buyerIdNumber: 'Buyer ID number', payCode: 'Payment company code', payName: 'Payment company name',
      payTransactionId: 'Payment transaction', batchNumbers: 'Batch numbers', consignee: 'Consignee',
      consigneeTelephone: 'Consignee phone', consigneeAddress: 'Consignee address', consigneeDistrict: 'District code',
      note: 'Note', gnum: 'No.', itemNo: 'SKU', itemName: 'Goods name', gmodel: 'Specification',
      itemDescribe: 'Description', barCode: 'Barcode', unit: 'Unit', qty: 'Qty', price: 'Price',
      totalPrice: 'Total', country: 'Country of origin', copCode: 'Sender code', copName: 'Sender name',
      dxpMode: 'Transfer mode', dxpId: 'DXP id', appTime: 'Sent at',
    },
    dept: {
      title: 'Department view',
      tabs: { risk: 'Risk hits', alerts: 'Tax alerts', stats: 'Statistics', report: 'Monthly report', evaluation: 'Zone evaluation' },
      risk: {
        time: 'Time', rule: 'Rule', severity: 'Severity', lane: 'Lane', direction: 'Direction',
        document: 'List', ebcCode: 'E-commerce enterprise', explanation: 'Explanation', from: 'From', to: 'To', limit: 'Rows',
      },
      alerts: { time: 'Time', kind: 'Kind', enterprise: 'Guarantor', invtNo: 'List no.', message: 'Message' },
      alertKinds: {
        'no-guarantee': 'No guarantee', 'guarantee-short': 'Guarantee short', 'tax-unpaid': 'Tax unpaid', 'tax-overdue': 'Tax overdue',
      },
      stats: {
        measure: 'Measure', by: 'By', from: 'From', to: 'To', direction: 'Direction', tradeMode: 'Trade mode',
        ebcCode: 'E-commerce enterprise', any: 'Any', key: 'Key', value: 'Value', csv: 'Download CSV',
      },
      report: {
        month: 'Month', show: 'Show', xlsx: 'Download Excel', csv: 'Download CSV', totals: 'Totals',
        growth: 'Growth', mom: 'Month on month', yoy: 'Year on year',
      },
      evaluation: {
        year: 'Year', show: 'Show', score: 'Score', indicator: 'Indicator', value: 'Value',
        target: 'Target', weight: 'Weight', indScore: 'Score', unit: 'Unit', chart: 'Indicator scores',
        total: 'Total scores',
      },
    },
    measures: {
      lists: 'Released lists', value_cny: 'Value (CNY)', value_usd: 'Value (USD)', tax_cny: 'Tax (CNY)',
      parcels: 'Parcels', lines: 'Goods lines', returns: 'Returns', risk_hits: 'Risk hits',
      clearance_seconds_p50: 'Clearance P50 (s)', clearance_seconds_p95: 'Clearance P95 (s)',
    },
    by: {
      day: 'Day', month: 'Month', tradeMode: 'Trade mode', direction: 'Direction', country: 'Country',
      hsChapter: 'HS chapter', ebcCode: 'Enterprise', status: 'Status', zone: 'Zone',
    },
    direction: { import: 'Import', export: 'Export' },
    reportCols: {
      direction: 'Direction', tradeMode: 'Trade mode', code: 'Code', name: 'Name', name_zh: 'Name (zh)', name_en: 'Name',
      month: 'Month', zone: 'Zone', country: 'Country', share: 'Share', iso2: 'ISO2', iso3: 'ISO3',
      value_cny: 'Value (CNY)', import_value_cny: 'Imports (CNY)', export_value_cny: 'Exports (CNY)',
      warehouse: 'Warehouse', park: 'Park', area_m2: 'Area (m²)', ebcCode: 'Enterprise', operator: 'Operator',
      import_lists: 'Import lists', export_lists: 'Export lists', return_value_cny: 'Returned value (CNY)', refused: 'Refused',
      id: 'Item', value: 'Value', export_yoy: 'Exports YoY', import_yoy: 'Imports YoY', export_mom: 'Exports MoM',
      import_mom: 'Imports MoM', growth_mom: 'MoM', growth_yoy: 'YoY',
    },
    reportKeys: {
      modes: 'Trade modes', countries: 'Countries', chapters: 'HS chapters', enterprises: 'Enterprises',
      overseasWarehouses: 'Overseas warehouses', parks: 'Parks', summary: 'Summary',
    },
  },
}

function initial() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'zh') return saved
  } catch { /* storage unavailable */ }
  return 'zh'
}

export const locale = ref(initial())

function apply(lang) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
}
apply(locale.value)

export function setLocale(lang) {
  locale.value = lang
  try { localStorage.setItem(STORAGE_KEY, lang) } catch { /* ignore */ }
  apply(lang)
}

function lookup(lang, key) {
  let node = messages[lang]
  for (const part of key.split('.')) {
    if (node == null || typeof node !== 'object') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

export function t(key, params) {
  let s = lookup(locale.value, key) ?? lookup('zh', key)
  if (s === undefined) return key
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m))
  return s
}

// A label from a table (rules, status, modes, ...) or the raw value when unknown.
export function label(table, value) {
  if (value === undefined || value === null || value === '') return ''
  const s = lookup(locale.value, `${table}.${value}`) ?? lookup('zh', `${table}.${value}`)
  return s ?? String(value)
}

// Picks name_zh / name_en (or nameZh/nameEn) from an API object.
export function nameOf(obj, fallback = '') {
  if (!obj) return fallback
  const zh = obj.name_zh ?? obj.nameZh
  const en = obj.name_en ?? obj.nameEn
  if (locale.value === 'en') return en || zh || obj.name || fallback
  return zh || en || obj.name || fallback
}

// A zone's short name: the city in 中国（南京）跨境电子商务综合试验区 / China (Nanjing) CBEC ….
export function shortName(obj, fallback = '') {
  const full = nameOf(obj, fallback)
  const m = /[（(]([^）)]+)[）)]/.exec(full)
  return m ? m[1] : full
}
