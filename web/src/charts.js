// ECharts, assembled from the parts the pages use (keeps the bundle small), and the
// shared look of the charts on the dark big screen and on the light pages.
import * as echarts from 'echarts/core'
import { LineChart, BarChart, PieChart, MapChart, RadarChart } from 'echarts/charts'
import {
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, TitleComponent,
  RadarComponent, DatasetComponent, GraphicComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([
  LineChart, BarChart, PieChart, MapChart, RadarChart,
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, TitleComponent,
  RadarComponent, DatasetComponent, GraphicComponent, CanvasRenderer,
])

export { echarts }

export const palette = {
  import: '#3ba0ff',
  export: '#36cfc9',
  accent: '#f6bd16',
  danger: '#ff6b6b',
  series: ['#3ba0ff', '#36cfc9', '#f6bd16', '#9270ca', '#ff8c42', '#5ad8a6', '#e86452', '#6dc8ec', '#ff99c3', '#93a4b8'],
}

// Colours and text styles for a theme; pages merge them into each option.
export function look(dark) {
  const text = dark ? '#c9d6ea' : '#3a4656'
  const line = dark ? 'rgba(120,160,220,0.22)' : '#e3e8ef'
  return {
    dark,
    text,
    line,
    base: {
      backgroundColor: 'transparent',
      color: palette.series,
      textStyle: { color: text, fontFamily: 'inherit' },
      legend: { textStyle: { color: text }, top: 0, itemWidth: 14, itemHeight: 8 },
      tooltip: {
        backgroundColor: dark ? 'rgba(10,22,46,0.92)' : 'rgba(255,255,255,0.96)',
        borderColor: dark ? '#2b4a7a' : '#d0d7e2',
        textStyle: { color: dark ? '#e6eefc' : '#1f2937' },
        confine: true,
      },
    },
    axis: {
      axisLine: { lineStyle: { color: line } },
      axisLabel: { color: text },
      splitLine: { lineStyle: { color: line } },
      axisTick: { show: false },
    },
  }
}
