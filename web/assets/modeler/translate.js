// Chinese for the modeler's own words (palette, context pad, panel, lint button); a term not
// listed stays as the library wrote it.
const ZH = {
  "Activate hand tool": "抓手工具",
  "Activate lasso tool": "套索工具",
  "Activate create/remove space tool": "空间工具",
  "Activate global connect tool": "连线工具",
  "Create start event": "创建开始事件",
  "Create end event": "创建结束事件",
  "Create intermediate/boundary event": "创建中间/边界事件",
  "Create gateway": "创建网关",
  "Create task": "创建任务",
  "Create expanded sub-process": "创建子流程",
  "Create pool/participant": "创建池",
  "Create data object reference": "创建数据对象",
  "Create data store reference": "创建数据存储",
  "Create group": "创建分组",
  "Append end event": "追加结束事件",
  "Append gateway": "追加网关",
  "Append task": "追加任务",
  "Append intermediate/boundary event": "追加中间/边界事件",
  "Append text annotation": "追加注释",
  "Add text annotation": "添加注释",
  "Connect to other element": "连接到其他元素",
  "Connect using sequence/message flow or association": "用顺序流连接",
  "Change element": "更改类型",
  "Change type": "更改类型",
  "Delete": "删除",
  "Add lane above": "在上方添加泳道",
  "Add lane below": "在下方添加泳道",
  "Divide into two lanes": "拆分为两个泳道",
  "Divide into three lanes": "拆分为三个泳道",
  "General": "基本",
  "Name": "名称",
  "ID": "标识",
  "Version tag": "版本标记",
  "Executable": "可执行",
  "Documentation": "说明",
  "Element documentation": "元素说明",
  "Process documentation": "流程说明",
  "Timer": "定时器",
  "Condition": "条件",
  "Multi-instance": "多实例",
  "Errors": "错误",
  "Warnings": "警告",
  "No Issues": "未发现问题",
  "{errors} Errors, {warnings} Warnings": "{errors} 个错误，{warnings} 个警告",
  "Issues for child elements": "子元素的问题",
  "Toggle linting overlays": "显示或隐藏检查结果",
  "Select a single element to edit its properties.": "请选择一个元素编辑其属性。",
  "Multiple elements are selected. Select a single one to edit its properties.":
    "选中了多个元素。请只选择一个元素编辑其属性。",
};

function translate(template, replacements) {
  const text = ZH[template] || template;
  return text.replace(/{([^}]+)}/g, (match, key) =>
    replacements && key in replacements ? replacements[key] : match,
  );
}

export default { translate: ["value", translate] };
