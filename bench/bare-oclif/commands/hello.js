import { Command } from '@oclif/core'

export default class Hello extends Command {
  static description = 'Says hello.'
  async run() {
    this.log('hello')
  }
}
